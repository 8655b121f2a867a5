#pragma once
/// \file
/// \brief What a `HeatmapWidget` paints: a table model whose cells carry a value on a
/// colour scale, plus the scale, the axis titles and how to read it.

#include <QAbstractTableModel>
#include <QString>

namespace stepwise::ui {

/// \brief Base of the models a `HeatmapWidget` shows (the confusion matrix, the
/// correlation matrix). Rows and columns are labelled by `headerData` (DisplayRole,
/// ToolTipRole); each cell gives its main text (DisplayRole), a second line
/// (`DetailRole`), a tooltip (ToolTipRole), its position on the colour scale
/// (`ValueRole`, NaN = no value) and whether it is outlined (`HighlightRole`).
class HeatmapModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// \brief Cell roles beyond Qt's.
    enum Role {
        ValueRole = Qt::UserRole + 1,  ///< double on the `scale()`; NaN = no value (hatched)
        DetailRole,                    ///< QString: the smaller second line of the cell
        HighlightRole                  ///< bool: outlined and marked with a check
    };

    /// \brief The colour scale.
    struct Scale {
        /// \brief Sequential light → dark blue for magnitudes (counts, shares); diverging
        /// red ← white → blue for signed values such as correlations.
        enum class Kind { Sequential, Diverging };
        Kind kind = Kind::Sequential;
        double low = 0.0;   ///< value painted with the lightest (sequential) or red end
        double high = 1.0;  ///< value painted with the darkest blue end
        QString lowText, midText, highText;  ///< legend labels at the bottom, middle and top
    };

    using QAbstractTableModel::QAbstractTableModel;

    /// \brief The colour scale the values are on.
    virtual Scale scale() const = 0;
    /// \brief Title of the row axis ("Actual"), drawn rotated left of the row labels.
    virtual QString rowTitle() const { return {}; }
    /// \brief Title of the column axis ("Predicted"), drawn above the column labels.
    virtual QString columnTitle() const { return {}; }
    /// \brief What the outlined cells mean ("correct predictions"); empty when none are.
    virtual QString highlightMeaning() const { return {}; }
    /// \brief One line on how to read the map, shown under it.
    virtual QString footnote() const { return {}; }
};

} // namespace stepwise::ui
