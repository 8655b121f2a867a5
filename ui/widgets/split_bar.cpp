#include "widgets/split_bar.hpp"

#include <QLocale>
#include <QPainter>

namespace stepwise::ui {
namespace {

const QColor kTrain(0x25, 0x63, 0xeb);
const QColor kValidation(0x7c, 0x3a, 0xed);
const QColor kTest(0xd9, 0x77, 0x06);

} // namespace

SplitBar::SplitBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("splitBar"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void SplitBar::setCounts(std::size_t train, std::size_t validation, std::size_t test)
{
    m_train = train;
    m_validation = validation;
    m_test = test;
    const QLocale locale;
    setToolTip(validation > 0
                   ? tr("%1 rows to learn from, %2 rows to validate choices on, %3 rows held back to test")
                         .arg(locale.toString(qulonglong(train)), locale.toString(qulonglong(validation)),
                              locale.toString(qulonglong(test)))
                   : tr("%1 rows to learn from, %2 rows held back to test")
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
    const std::size_t total = m_train + m_validation + m_test;
    if (total == 0) {
        p.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(bar, 4, 4);
        return;
    }
    struct Part {
        std::size_t rows;
        QColor colour;
        QString name;
        QRectF rect;
    };
    Part parts[] = {{m_train, kTrain, tr("Training"), {}},
                    {m_validation, kValidation, tr("Validation"), {}},
                    {m_test, kTest, tr("Test"), {}}};
    qreal left = bar.left();
    for (Part& part : parts) {
        const qreal width = bar.width() * qreal(part.rows) / qreal(total);
        part.rect = QRectF(left, bar.top(), width, bar.height());
        left += width;
    }
    // One rounded bar, each part painted through a clip, so only the ends are round.
    p.setPen(Qt::NoPen);
    for (const Part& part : parts) {
        if (part.rows == 0)
            continue;
        p.save();
        p.setClipRect(part.rect);
        p.setBrush(part.colour);
        p.drawRoundedRect(bar, 4, 4);
        p.restore();
    }
    p.setPen(QPen(palette().color(QPalette::Base), 2));
    for (const Part* part : {&parts[1], &parts[2]})
        if (part->rows > 0 && part->rect.left() > bar.left() + 1)
            p.drawLine(part->rect.topLeft(), part->rect.bottomLeft());

    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Qt::white);
    for (const Part& part : parts) {
        const QString share = QStringLiteral("%1%").arg(qRound(100.0 * double(part.rows) / double(total)));
        if (part.rows > 0 && fm.horizontalAdvance(share) + 8 < part.rect.width())
            p.drawText(part.rect, Qt::AlignCenter, share);
    }

    const QLocale locale;
    p.setFont(font());
    const qreal y = bar.bottom() + 6;
    const QRectF labels(0, y, width(), fm.height() * 2 + 4);
    p.setPen(kTrain.darker(120));
    p.drawText(labels, Qt::AlignLeft | Qt::AlignTop, tr("Training\n%1 rows").arg(locale.toString(qulonglong(m_train))));
    if (m_validation > 0) {
        p.setPen(kValidation.darker(120));
        p.drawText(labels, Qt::AlignHCenter | Qt::AlignTop,
                   tr("Validation\n%1 rows").arg(locale.toString(qulonglong(m_validation))));
    }
    p.setPen(kTest.darker(125));
    p.drawText(labels, Qt::AlignRight | Qt::AlignTop, tr("Test\n%1 rows").arg(locale.toString(qulonglong(m_test))));
}

} // namespace stepwise::ui
