#pragma once
/// \file
/// \brief The heatmap, painted with QPainter (no chart library): confusion matrices and
/// correlation matrices alike.

#include <QPointer>
#include <QWidget>

#include "models/heatmap_model.hpp"

namespace stepwise::ui {

/// \brief Paints a `HeatmapModel`: one square cell per model cell, filled from its value
/// on the model's colour scale (sequential light → dark blue, or diverging red – white –
/// blue) and carrying the main text and the second line in whichever of black or white
/// reads better on the fill. Row and column labels come from the header (column labels
/// turn vertical when they do not fit), the axis titles frame them, a legend bar gives
/// the scale, highlighted cells are outlined in green with a check, and a footnote says
/// how to read it. Cells without a value are hatched. Tooltips come from the model.
class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    /// \brief Shows `model` (not owned; null shows the placeholder).
    void setModel(HeatmapModel* model);
    /// \brief The model shown.
    HeatmapModel* model() const { return m_model; }
    /// \brief Text shown while the model is empty.
    void setPlaceholderText(const QString& text);
    /// \brief The text shown while the model is empty.
    const QString& placeholderText() const { return m_placeholder; }
    /// \brief Puts `widget` (e.g. a mode toggle) in the top-right corner, above the map;
    /// the widget is reparented and owned by the heatmap. Null removes it.
    void setCornerWidget(QWidget* widget);
    /// \brief The corner widget, if any.
    QWidget* cornerWidget() const { return m_corner; }

    /// \brief Where the cell (`row`, `column`) is painted, in widget coordinates (empty
    /// when it is not shown).
    QRectF cellRect(int row, int column) const;
    /// \brief True when the column labels are drawn vertically (they do not fit across).
    bool columnLabelsVertical() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        QRectF grid;
        qreal cell = 0;
        QRectF legend;
        QRectF footer;
        qreal rowLabelWidth = 0;
        qreal columnLabelHeight = 0;
        bool verticalColumnLabels = false;
        qreal labelScale = 1.0;  ///< label font relative to the widget's
        int labelStep = 1;       ///< every k-th row and column is labelled
    };
    Geometry layoutGeometry() const;
    QRectF paintArea() const;
    QColor fillFor(double value) const;
    QString header(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const;
    void modelChanged();

    QPointer<HeatmapModel> m_model;
    QString m_placeholder;
    QPointer<QWidget> m_corner;
    QList<QMetaObject::Connection> m_connections;
};

/// \brief The sequential colour of `t` ∈ [0, 1] (ColorBrewer "Blues": light → dark).
QColor sequentialBlue(double t);
/// \brief The diverging colour of `t` ∈ [0, 1] (ColorBrewer "RdBu": dark red at 0,
/// near-white at 0.5, dark blue at 1).
QColor divergingRedBlue(double t);
/// \brief Black or white, whichever reads better on `background`.
QColor contrastingText(const QColor& background);

} // namespace stepwise::ui
