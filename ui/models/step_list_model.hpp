#pragma once
/// \file
/// \brief The steps of one pipeline stage as a Qt list model: checkable (on/off),
/// reorderable by drag and drop, with what the last preview said about each step.

#include <QAbstractListModel>
#include <QString>

#include <optional>
#include <vector>

#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/pipeline_preview.hpp"

namespace stepwise::ui {

/// \brief Adapts a stage's `std::vector<prep::StepSpec>` for a list view. Display text
/// is the step's number, its name and its words (the fitted description once the
/// preview ran it, else `prep::describeStep`; `TitleRole` and `DetailRole` give the two
/// parts for a two-line item); the check box is `enabled`; a step the preview could not
/// run gets an error icon and its error as tooltip; `RowsRole` gives the change of row
/// count ("891 → 873 rows"). User edits — a check box, a drag — change the model and
/// emit `edited` with the new list, for the owner to record in the recipe.
class StepListModel : public QAbstractListModel {
    Q_OBJECT
public:
    /// \brief Extra data roles.
    enum Role {
        RowsRole = Qt::UserRole + 1,  ///< QString: "891 → 873 rows" when the step changed the row count
        KindRole,                     ///< QString: the step's kind
        ErrorRole,                    ///< QString: why the step cannot run (empty when it can)
        TitleRole,                    ///< QString: "2. Fill missing values"
        DetailRole,                   ///< QString: the fitted description, or the settings in words
    };

    explicit StepListModel(QObject* parent = nullptr);

    /// \brief Shows `steps`. A list of the same length updates the rows in place (the
    /// selection stays); another length resets the model.
    void setSteps(const std::vector<prep::StepSpec>& steps);
    const std::vector<prep::StepSpec>& steps() const { return m_steps; }
    /// \brief What the preview said about each of `steps` (the list it ran; index i =
    /// row i). A row shows its outcome only while it still holds the step the outcome is
    /// for, so a step being edited never shows the words or the error of its old settings.
    void setOutcomes(std::vector<workflow::StepOutcome> outcomes, std::vector<prep::StepSpec> steps);
    /// \brief The outcome of row `row`, if known for the step it holds now.
    const workflow::StepOutcome* outcome(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    /// \brief Moves one row (`count` must be 1) to before `destinationChild`.
    bool moveRows(const QModelIndex& sourceParent, int sourceRow, int count, const QModelIndex& destinationParent,
                  int destinationChild) override;

signals:
    /// \brief The user changed the list (`what` names the edit, e.g. "Turn off “Scale
    /// numbers”"); `steps()` holds the new list.
    void edited(const QString& what);
    /// \brief A row moved from `from` to `to` by an edit (drag and drop or `moveRows`).
    void stepMoved(int from, int to);

private:
    QString titleOf(int row) const;
    QString detailOf(int row) const;

    std::vector<prep::StepSpec> m_steps;
    std::vector<workflow::StepOutcome> m_outcomes;
    std::vector<prep::StepSpec> m_outcomeSteps;  // the steps `m_outcomes` are for
};

/// \brief The display name of a step's kind, or the kind itself when it is not registered.
QString stepDisplayName(const std::string& kind);
/// \brief A step's error without the engine's "step N 'Name': " prefix (the engine numbers
/// steps across both stages; the pages number each stage's own and name the step).
QString stepErrorText(const std::string& error);
/// \brief `prep::describeStep`, or the kind when the step cannot be described.
QString stepDescription(const prep::StepSpec& spec);

} // namespace stepwise::ui
