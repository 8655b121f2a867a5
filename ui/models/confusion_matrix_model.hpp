#pragma once
/// \file
/// \brief A confusion matrix as a heatmap model: counts, row shares or column shares.

#include <QStringList>

#include <cstdint>
#include <vector>

#include "models/heatmap_model.hpp"

namespace stepwise::ui {

/// \brief Rows = actual class, columns = predicted class. In `Counts` mode a cell is
/// shaded by its count relative to the largest cell and shows the count over its row
/// share; in `RowNormalized` mode it is shaded by the share of its actual class (fair to
/// small classes; the diagonal reads as each class's recall) and in `ColumnNormalized`
/// mode by the share of its predicted class (the diagonal reads as precision), both
/// showing the share over "n = count". The diagonal is highlighted as correct. A cell's
/// tooltip says in words what its rows are: for two classes (class 1 the positive one)
/// true/false positives/negatives, for more classes which class they are false
/// positives and false negatives of.
class ConfusionMatrixModel : public HeatmapModel {
    Q_OBJECT
public:
    /// \brief What the shading and the main number show.
    enum class Mode { Counts, RowNormalized, ColumnNormalized };
    Q_ENUM(Mode)

    /// \brief Rows = actual, columns = predicted.
    using Matrix = std::vector<std::vector<std::int64_t>>;

    explicit ConfusionMatrixModel(QObject* parent = nullptr);

    /// \brief Shows `matrix` labelled with `classNames` (missing names become "class i").
    void setMatrix(const Matrix& matrix, const QStringList& classNames);
    /// \brief Empties the model.
    void clear();
    /// \brief The matrix shown.
    const Matrix& matrix() const { return m_matrix; }
    /// \brief The class names on the axes.
    const QStringList& classNames() const { return m_names; }
    /// \brief Names the target in the tooltips ("rows with survived = 1"); empty says
    /// "rows of class 1".
    void setTargetName(const QString& target);
    /// \brief The target named in the tooltips.
    const QString& targetName() const { return m_target; }
    /// \brief Current mode.
    Mode mode() const { return m_mode; }
    /// \brief Switches between counts, row shares and column shares.
    void setMode(Mode mode);
    /// \brief Rows of actual class `row` (the row total).
    std::int64_t rowTotal(std::size_t row) const;
    /// \brief Rows predicted as class `column` (the column total).
    std::int64_t columnTotal(std::size_t column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Scale scale() const override;
    QString rowTitle() const override;
    QString columnTitle() const override;
    QString highlightMeaning() const override;
    QString footnote() const override;

signals:
    /// \brief The mode changed.
    void modeChanged(stepwise::ui::ConfusionMatrixModel::Mode mode);

private:
    std::int64_t maxCount() const;
    QString className(std::size_t index) const;
    QString cellToolTip(std::size_t row, std::size_t column) const;
    /// "rows with survived = 1" or "rows of class 1".
    QString rowsOf(std::size_t index, std::int64_t count) const;

    Matrix m_matrix;
    QStringList m_names;
    QString m_target;
    Mode m_mode = Mode::Counts;
};

/// \brief A share as a percentage with one decimal ("80.0%", "<0.1%", "100%", "0%").
QString cellPercent(double fraction);

} // namespace stepwise::ui
