#pragma once
/// \file
/// \brief How to read a data file: the sheet or table, text options, missing-value
/// markers, and what loading it will cost in memory.

#include <QDialog>

#include <optional>

#include "stepwise/data/data_source.hpp"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

namespace stepwise::ui {

/// \brief Shown after a file is chosen. Offers only what the file's format needs: the
/// sheet of a workbook (`xlsxSheetNames`), the table of an SQLite database
/// (`sqliteTableNames`) or a SELECT query, and for text files the delimiter, decimal
/// and thousands separators and encoding; the missing-value markers for all. Below, the
/// memory estimate (`estimateLoad`) for the current choices: a large load is pointed
/// out, one that cannot fit is refused with the reason and Load stays disabled.
class OpenDataDialog : public QDialog {
    Q_OBJECT
public:
    /// \brief Loads above this estimate are pointed out before they start.
    static constexpr std::uint64_t kLargeLoadBytes = 200ull * 1024 * 1024;

    /// \brief A dialog for `path`, starting from `options`.
    OpenDataDialog(const QString& path, const data::ReadOptions& options, QWidget* parent = nullptr);

    /// \brief The file with the chosen read options.
    data::DataSource source() const;
    /// \brief The estimate for the current choices (none when it could not be made).
    const std::optional<data::LoadEstimate>& estimate() const { return m_estimate; }
    /// \brief Why Load is disabled (empty when it is enabled).
    const QString& problem() const { return m_problem; }
    /// \brief The estimate in words, as shown.
    QString estimateText() const;
    /// \brief Points out loads estimated above `bytes` (default `kLargeLoadBytes`).
    void setLargeLoadBytes(std::uint64_t bytes);

private:
    void refresh();

    QString m_path;
    data::ReadOptions m_initial;
    std::optional<data::FileFormat> m_format;
    std::optional<data::LoadEstimate> m_estimate;
    QString m_openError;  ///< the file could not be opened or listed
    QString m_problem;
    std::uint64_t m_largeLoadBytes = kLargeLoadBytes;

    QLabel* m_header;
    QGroupBox* m_textBox;
    QComboBox* m_delimiter;
    QComboBox* m_decimal;
    QComboBox* m_thousands;
    QComboBox* m_encoding;
    QGroupBox* m_sheetBox;
    QComboBox* m_sheet;
    QGroupBox* m_sqliteBox;
    QRadioButton* m_tableRadio;
    QRadioButton* m_queryRadio;
    QComboBox* m_table;
    QPlainTextEdit* m_query;
    QCheckBox* m_emptyMissing;
    QLineEdit* m_markers;
    QLabel* m_estimateLabel;
    QLabel* m_problemLabel;
    QDialogButtonBox* m_buttons;
};

/// \brief Markers as the dialog writes them: "NA, N/A, NaN, null, ?" (the empty marker
/// is a check box of its own).
QString formatMissingMarkers(const std::vector<std::string>& markers);
/// \brief The markers typed as a comma-separated list, plus "" when `emptyIsMissing`.
std::vector<std::string> parseMissingMarkers(const QString& text, bool emptyIsMissing);

} // namespace stepwise::ui
