#pragma once
/// \file
/// \brief A correlation matrix as a heatmap model.

#include <memory>

#include "models/heatmap_model.hpp"
#include "stepwise/data/correlation.hpp"

namespace stepwise::ui {

/// \brief Pearson correlations of the numeric columns on the diverging scale −1 … +1:
/// blue when two columns rise together, red when one falls as the other rises, white
/// when unrelated; undefined pairs (a constant column, fewer than two rows with both
/// values) are hatched. Cells show r with two decimals.
class CorrelationModel : public HeatmapModel {
    Q_OBJECT
public:
    explicit CorrelationModel(QObject* parent = nullptr);

    /// \brief Shows `matrix` (null empties the model).
    void setMatrix(std::shared_ptr<const data::CorrelationMatrix> matrix);
    /// \brief The matrix shown.
    const std::shared_ptr<const data::CorrelationMatrix>& matrix() const { return m_matrix; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Scale scale() const override;
    QString footnote() const override;

private:
    std::shared_ptr<const data::CorrelationMatrix> m_matrix;
};

/// \brief A correlation as the cell shows it: "0.54", "−0.12" (a real minus sign), "1" (exactly),
/// "1.00" (nearly).
QString formatCorrelation(double r);

} // namespace stepwise::ui
