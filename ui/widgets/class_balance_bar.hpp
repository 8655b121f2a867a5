#pragma once
/// \file
/// \brief How the rows divide between the classes of the target, as one segmented bar.

#include <QStringList>
#include <QWidget>

#include <vector>

namespace stepwise::ui {

/// \brief One segment per class, in class order, sized by its row count and labelled
/// with the class name and share where it fits; the tooltip lists every count. An
/// unbalanced target is visible at a glance.
class ClassBalanceBar : public QWidget {
    Q_OBJECT
public:
    explicit ClassBalanceBar(QWidget* parent = nullptr);
    /// \brief Shows `counts` per class named `names` (empty counts hide the bar).
    void setCounts(const QStringList& names, const std::vector<std::size_t>& counts);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_names;
    std::vector<std::size_t> m_counts;
};

/// \brief A qualitative colour for category `index` (Tableau 10).
QColor categoryColor(int index);

} // namespace stepwise::ui
