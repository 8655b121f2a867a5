#include "widgets/split_bar.hpp"

#include <QLocale>
#include <QPainter>

namespace stepwise::ui {
namespace {

const QColor kTrain(0x25, 0x63, 0xeb);
const QColor kTest(0xd9, 0x77, 0x06);

} // namespace

SplitBar::SplitBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("splitBar"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void SplitBar::setCounts(std::size_t train, std::size_t test)
{
    m_train = train;
    m_test = test;
    const QLocale locale;
    setToolTip(tr("%1 rows to learn from, %2 rows held back to test")
                   .arg(locale.toString(qulonglong(train)), locale.toString(qulonglong(test))));
    update();
}

QSize SplitBar::sizeHint() const { return {300, 2 * fontMetrics().height() + 30}; }

QSize SplitBar::minimumSizeHint() const { return {160, sizeHint().height()}; }

void SplitBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF fm(font());
    const qreal barHeight = 22;
    const QRectF bar(0.5, 0.5, width() - 1.0, barHeight);
    const std::size_t total = m_train + m_test;
    if (total == 0) {
        p.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(bar, 4, 4);
        return;
    }
    const qreal split = bar.width() * qreal(m_train) / qreal(total);
    const QRectF trainRect(bar.left(), bar.top(), split, bar.height());
    const QRectF testRect(bar.left() + split, bar.top(), bar.width() - split, bar.height());
    p.setPen(Qt::NoPen);
    p.setBrush(kTrain);
    p.drawRoundedRect(bar, 4, 4);
    p.setBrush(kTest);
    p.save();
    p.setClipRect(testRect);
    p.drawRoundedRect(bar, 4, 4);
    p.restore();
    p.setPen(QPen(palette().color(QPalette::Base), 2));
    p.drawLine(testRect.topLeft(), testRect.bottomLeft());

    const QLocale locale;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Qt::white);
    const QString trainShare = QStringLiteral("%1%").arg(qRound(100.0 * double(m_train) / double(total)));
    const QString testShare = QStringLiteral("%1%").arg(qRound(100.0 * double(m_test) / double(total)));
    if (fm.horizontalAdvance(trainShare) + 8 < trainRect.width())
        p.drawText(trainRect, Qt::AlignCenter, trainShare);
    if (fm.horizontalAdvance(testShare) + 8 < testRect.width())
        p.drawText(testRect, Qt::AlignCenter, testShare);

    p.setFont(font());
    const qreal y = bar.bottom() + 6;
    const QRectF labels(0, y, width(), fm.height() * 2 + 4);
    p.setPen(kTrain.darker(120));
    p.drawText(labels, Qt::AlignLeft | Qt::AlignTop,
               tr("Training\n%1 rows").arg(locale.toString(qulonglong(m_train))));
    p.setPen(kTest.darker(125));
    p.drawText(labels, Qt::AlignRight | Qt::AlignTop, tr("Test\n%1 rows").arg(locale.toString(qulonglong(m_test))));
}

} // namespace stepwise::ui
