#pragma once
/// \file
/// \brief The confusion-matrix heatmap, painted with QPainter (no chart library).

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

class QToolButton;

namespace stepwise::ui {

/// \brief Rows = actual class, columns = predicted class. Cells are shaded on a
/// sequential light → dark blue scale and carry the count and the row percentage in a
/// text colour chosen for contrast; class names label both axes, "Actual" and
/// "Predicted" title them, a legend bar gives the scale, and the diagonal (correct
/// predictions) is outlined in green. A toggle switches between counts and row-normalised
/// shading (what fraction of each actual class went where — fair to small classes).
class ConfusionMatrixWidget : public QWidget {
    Q_OBJECT
public:
    /// \brief What the shading and the main number show.
    enum class Mode { Counts, RowNormalized };
    Q_ENUM(Mode)

    /// \brief Rows = actual, columns = predicted.
    using Matrix = std::vector<std::vector<std::int64_t>>;

    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    /// \brief Shows `matrix` labelled with `classNames` (missing names become "class i").
    void setMatrix(const Matrix& matrix, const QStringList& classNames);
    /// \brief Removes the matrix and shows `placeholder` instead.
    void clear(const QString& placeholder);
    /// \brief The matrix shown.
    const Matrix& matrix() const { return m_matrix; }
    /// \brief The class names on the axes.
    const QStringList& classNames() const { return m_names; }

    /// \brief Current mode.
    Mode mode() const { return m_mode; }
    /// \brief Shows or hides the Counts / Row % toggle.
    void setModeToggleVisible(bool visible);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    /// \brief Switches between counts and row-normalised shading.
    void setMode(stepwise::ui::ConfusionMatrixWidget::Mode mode);

signals:
    /// \brief The mode changed (by the toggle or `setMode`).
    void modeChanged(stepwise::ui::ConfusionMatrixWidget::Mode mode);

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
    };
    Geometry layoutGeometry() const;
    QRectF paintArea() const;
    double shade(std::size_t row, std::size_t column) const;
    std::int64_t rowTotal(std::size_t row) const;
    std::int64_t maxCount() const;
    QString className(std::size_t index) const;

    Matrix m_matrix;
    QStringList m_names;
    QString m_placeholder;
    Mode m_mode = Mode::Counts;
    QWidget* m_toggleBar;
    QToolButton* m_countsButton;
    QToolButton* m_percentButton;
};

/// \brief The sequential colour of `t` ∈ [0, 1] (ColorBrewer "Blues": light → dark).
QColor sequentialBlue(double t);
/// \brief Black or white, whichever reads better on `background`.
QColor contrastingText(const QColor& background);

} // namespace stepwise::ui
