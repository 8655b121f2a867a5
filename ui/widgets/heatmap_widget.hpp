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
/// Clicking a cell emits `cellClicked`; given keyboard focus (a focus policy), the arrow
/// keys choose a cell and Enter clicks it. One cell may be marked as selected, outlined in
/// the palette's highlight colour.
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
    /// \brief The cell under `pos` (widget coordinates) as (column, row), or (-1, -1).
    QPoint cellAt(const QPointF& pos) const;

    /// \brief Outlines the cell (`row`, `column`) as selected; (-1, -1) clears it. The
    /// selection is also cleared when the model resets.
    void setSelectedCell(int row, int column);
    /// \brief The selected cell as (column, row), or (-1, -1).
    QPoint selectedCell() const { return m_selected; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    /// \brief The cell (`row`, `column`) was clicked, or chosen with the keyboard and
    /// Enter pressed.
    void cellClicked(int row, int column);
    /// \brief The mouse moved onto the cell (`row`, `column`), or off every cell (-1, -1).
    void cellHovered(int row, int column);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

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
    QPoint m_selected{-1, -1};
    QPoint m_pressed{-1, -1};
    QPoint m_hovered{-1, -1};
};

/// \brief The sequential colour of `t` ∈ [0, 1] (ColorBrewer "Blues": light → dark).
QColor sequentialBlue(double t);
/// \brief The diverging colour of `t` ∈ [0, 1] (ColorBrewer "RdBu": dark red at 0,
/// near-white at 0.5, dark blue at 1).
QColor divergingRedBlue(double t);
/// \brief Black or white, whichever reads better on `background`.
QColor contrastingText(const QColor& background);

} // namespace stepwise::ui
