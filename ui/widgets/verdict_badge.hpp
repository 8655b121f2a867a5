#pragma once
/// \file
/// \brief The large pass/fail badge of the Evaluation page.

#include <QWidget>

namespace stepwise::ui {

/// \brief A rounded badge: a big mark and headline ("Success criterion met") with the
/// numbers under it ("f1_macro = 0.812 ≥ 0.75 ✓"). Green for passed, red for not met,
/// grey when no criterion is set.
class VerdictBadge : public QWidget {
    Q_OBJECT
public:
    /// \brief The three looks.
    enum class Outcome { Passed, Failed, Neutral };

    explicit VerdictBadge(QWidget* parent = nullptr);

    /// \brief Sets outcome, headline and detail line.
    void setVerdict(Outcome outcome, const QString& headline, const QString& detail);
    Outcome outcome() const { return m_outcome; }
    const QString& headline() const { return m_headline; }
    const QString& detail() const { return m_detail; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QFont headlineFont() const;
    QFont detailFont() const;

    Outcome m_outcome = Outcome::Neutral;
    QString m_headline;
    QString m_detail;
};

} // namespace stepwise::ui
