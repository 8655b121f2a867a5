#pragma once
/// \file
/// \brief A confusion matrix as a heatmap model: counts or row shares.

#include <QStringList>

#include <cstdint>
#include <vector>

#include "models/heatmap_model.hpp"

namespace stepwise::ui {

/// \brief Rows = actual class, columns = predicted class. In `Counts` mode a cell is
/// shaded by its count relative to the largest cell and shows the count over its row
/// share; in `RowNormalized` mode it is shaded by the share of its actual class (fair to
/// small classes) and shows the share over "n = count". The diagonal is highlighted as
/// correct.
class ConfusionMatrixModel : public HeatmapModel {
    Q_OBJECT
public:
    /// \brief What the shading and the main number show.
    enum class Mode { Counts, RowNormalized };
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
    /// \brief Current mode.
    Mode mode() const { return m_mode; }
    /// \brief Switches between counts and row shares.
    void setMode(Mode mode);

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
    std::int64_t rowTotal(std::size_t row) const;
    std::int64_t maxCount() const;
    QString className(std::size_t index) const;

    Matrix m_matrix;
    QStringList m_names;
    Mode m_mode = Mode::Counts;
};

/// \brief A share as a percentage with one decimal ("80.0%", "<0.1%", "100%", "0%").
QString cellPercent(double fraction);

} // namespace stepwise::ui
