#pragma once
/// \file
/// \brief A picture of the train/test split: one bar, two parts, with row counts.

#include <QWidget>

namespace stepwise::ui {

/// \brief Draws the rows as one bar divided into the training part and the held-out
/// test part, labelled with counts and shares.
class SplitBar : public QWidget {
    Q_OBJECT
public:
    explicit SplitBar(QWidget* parent = nullptr);
    /// \brief Sets the sizes of both parts.
    void setCounts(std::size_t train, std::size_t test);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::size_t m_train = 0;
    std::size_t m_test = 0;
};

} // namespace stepwise::ui
