#pragma once
/// \file
/// \brief A picture of the split: one bar in up to three parts, with row counts.

#include <QWidget>

namespace stepwise::ui {

/// \brief Draws the rows as one bar divided into the training part, the validation part
/// (when there is one) and the held-out test part, labelled with counts and shares.
class SplitBar : public QWidget {
    Q_OBJECT
public:
    explicit SplitBar(QWidget* parent = nullptr);
    /// \brief Sets the sizes of the parts (`validation` 0: no validation part).
    void setCounts(std::size_t train, std::size_t validation, std::size_t test);
    std::size_t trainCount() const { return m_train; }
    std::size_t validationCount() const { return m_validation; }
    std::size_t testCount() const { return m_test; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::size_t m_train = 0;
    std::size_t m_validation = 0;
    std::size_t m_test = 0;
};

} // namespace stepwise::ui
