#include "pages/duplicate_rows_dialog.hpp"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace stepwise::ui {

DuplicateRowsDialog::DuplicateRowsDialog(std::shared_ptr<const data::Table> table, const prep::DuplicateReport& report,
                                         const std::vector<std::string>& columns, QWidget* parent)
    : QDialog(parent), m_rows(new QTableWidget(this))
{
    setObjectName(QStringLiteral("duplicateRowsDialog"));
    setWindowTitle(tr("Repeated rows"));
    setAttribute(Qt::WA_DeleteOnClose);
    m_rows->setObjectName(QStringLiteral("duplicateRowsTable"));
    const QLocale locale;
    const std::size_t shown = std::min(report.repeats.size(), kMaxRows);
    QString intro = tr("%1 rows repeat an earlier row in every compared column (%2 distinct rows occur more than "
                       "once). Rows are numbered from 0 as in the data.")
                        .arg(locale.toString(qulonglong(report.repeats.size())),
                             locale.toString(qulonglong(report.groups)));
    if (shown < report.repeats.size())
        intro += tr(" The first %1 are listed.").arg(locale.toString(qulonglong(shown)));
    auto* label = new QLabel(intro, this);
    label->setWordWrap(true);

    QStringList headers{tr("Row"), tr("Repeats row")};
    for (const std::string& name : columns)
        headers << QString::fromStdString(name);
    m_rows->setColumnCount(int(headers.size()));
    m_rows->setHorizontalHeaderLabels(headers);
    m_rows->setRowCount(int(shown));
    m_rows->verticalHeader()->setVisible(false);
    m_rows->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rows->setAlternatingRowColors(true);
    m_rows->verticalHeader()->setDefaultSectionSize(m_rows->fontMetrics().height() + 6);
    for (std::size_t i = 0; i < shown; ++i) {
        const std::size_t row = report.repeats[i];
        auto* number = new QTableWidgetItem(QString::number(row));
        auto* first = new QTableWidgetItem(QString::number(report.firstOccurrence[i]));
        number->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        first->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_rows->setItem(int(i), 0, number);
        m_rows->setItem(int(i), 1, first);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (!table || !table->hasColumn(columns[c]))
                continue;
            const data::Column& column = table->column(columns[c]);
            auto* cell = new QTableWidgetItem(column.isMissing(row) ? QStringLiteral("—")
                                                                    : QString::fromStdString(column.textAt(row)));
            m_rows->setItem(int(i), int(c) + 2, cell);
        }
    }
    m_rows->resizeColumnsToContents();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_rows, 1);
    layout->addWidget(buttons);
    resize(760, 460);
}

} // namespace stepwise::ui
