#pragma once
/// \file
/// \brief The findings of the leakage and data-health audit as a compact list.

#include <QListWidget>

#include <vector>

#include "stepwise/workflow/audit.hpp"

namespace stepwise::ui {

/// \brief One line per `workflow::AuditFinding`: a severity icon (leaks first), the
/// message, and the fix as tooltip. Says so when there is nothing to report.
class AuditList : public QListWidget {
    Q_OBJECT
public:
    explicit AuditList(QWidget* parent = nullptr);

    /// \brief Shows `findings`, most severe first.
    void setFindings(std::vector<workflow::AuditFinding> findings);
    /// \brief Shows `text` greyed (no audit yet, no data).
    void showPlaceholder(const QString& text);
    /// \brief Number of findings shown (0 with a placeholder).
    int findingCount() const { return m_findings; }

    QSize sizeHint() const override;

private:
    int m_findings = 0;
};

} // namespace stepwise::ui
