#pragma once
/// \file
/// \brief The editor of one pipeline stage: the ordered steps, and the selected step's
/// columns and parameters. Generic over the step registry; a formula gets an expression
/// field and an ordinal encoding of one column gets an order list.

#include <QWidget>

#include <memory>
#include <string>
#include <vector>

#include "stepwise/data/column.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/pipeline_preview.hpp"

class QAction;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QListWidgetItem;
class QMenu;
class QPushButton;
class QStackedWidget;
class QToolButton;

namespace stepwise::ui {

class ParamForm;
class StepListModel;

/// \brief A column a step could act on, as the editor lists it.
struct StepColumn {
    std::string name;
    data::ColumnType type = data::ColumnType::Numeric;
    data::ColumnKind kind = data::ColumnKind::Numeric;
    std::vector<std::string> categories;  ///< categorical columns: the categories, in level order
};

/// \brief The columns of `table` without `excluded` (the target, left-out columns).
std::vector<StepColumn> stepColumnsOf(const data::Table& table, const std::vector<std::string>& excluded = {});

/// \brief Lists one stage's steps (checkable = on, the preview's words, an error icon
/// with the reason, the change of row count) with Add (a menu of the stage's kinds from
/// the registry, Insert), Remove (Delete), Move up/down (Ctrl+Up/Down) and drag and drop;
/// beside it the selected step's form: a checkable list of the columns that fit the
/// kind's scope at that point of the pipeline (none checked = all), a `ParamForm` for its
/// parameters, and the special editors: a formula's expression, checked as it is typed
/// (`features::checkExpression` against the numeric columns reaching the step), and the
/// category order of an ordinal encoding of one column (drag to reorder). It edits a copy of the steps and reports each
/// edit with `stepsEdited`; the owner records it and passes the recipe's steps back with
/// `setSteps`.
class PipelineEditor : public QWidget {
    Q_OBJECT
public:
    explicit PipelineEditor(prep::StepStage stage, QWidget* parent = nullptr);

    /// \brief Shows the recipe's steps of this stage; the form follows a change made
    /// elsewhere (undo) without losing the field being typed in.
    void setSteps(const std::vector<prep::StepSpec>& steps);
    /// \brief The steps shown.
    const std::vector<prep::StepSpec>& steps() const;
    /// \brief What the preview said about each of `steps` (this stage's steps as the
    /// preview ran them; empty = nothing known).
    void setOutcomes(std::vector<workflow::StepOutcome> outcomes, std::vector<prep::StepSpec> steps);
    /// \brief The columns entering the selected step; `source` says where they come from
    /// ("columns entering this step").
    void setColumns(std::vector<StepColumn> columns, const QString& source);
    /// \brief Puts buttons for `actions` (undo, redo) in the toolbar.
    void addToolActions(const QList<QAction*>& actions);
    /// \brief A page's note under the form (e.g. what each outlier rule would touch).
    void setNote(const QString& html);

    /// \brief Row of the selected step, -1 when none.
    int currentStep() const;
    /// \brief Selects a step (-1: none).
    void setCurrentStep(int row);

    /// \brief Inserts a step of `kind` after the selected one (at the end when none), as
    /// the Add menu does, and selects it.
    void addStep(const std::string& kind);
    /// \brief Removes the selected step (Delete).
    void removeCurrentStep();
    /// \brief Moves the selected step by `delta` places (Ctrl+Up/Down).
    void moveCurrentStep(int delta);
    /// \brief Sets the selected step's columns as checking them in the list would.
    void setCurrentColumns(const std::vector<std::string>& columns);

    /// \brief Widgets, for pages that place them and for tests.
    QListView* listView() const { return m_list; }
    StepListModel* model() const { return m_model; }
    ParamForm* paramForm() const { return m_form; }
    QListWidget* columnList() const { return m_columns; }
    QLineEdit* expressionEdit() const { return m_expression; }
    QListWidget* orderList() const { return m_order; }
    QMenu* addMenu() const { return m_addMenu; }

signals:
    /// \brief The user edited the steps: `steps` is the new list, `what` names the edit
    /// for the undo history, and edits with the same non-empty `mergeKey` in a row are one
    /// (typing in a field).
    void stepsEdited(const std::vector<prep::StepSpec>& steps, const QString& what, const QString& mergeKey);
    /// \brief Another step (or none, -1) was selected.
    void currentStepChanged(int row);

private:
    void emitEdit(std::vector<prep::StepSpec> steps, const QString& what, const QString& mergeKey = {});
    void onCurrentChanged();
    void syncForm(bool force);
    void updateTitle();
    void rebuildColumns();
    void rebuildParams();
    void updateSpecialEditors();
    void updateStepStatus();
    void updateButtons();
    void writeColumns();
    void writeParams();
    void writeOrder();
    std::map<std::string, std::string> specialParams() const;
    std::vector<std::string> orderCategories(const prep::StepSpec& spec) const;
    bool showsOrderEditor(const prep::StepSpec& spec) const;

    prep::StepStage m_stage;
    StepListModel* m_model;
    QListView* m_list;
    QToolButton* m_add;
    QMenu* m_addMenu;
    QToolButton* m_remove;
    QToolButton* m_up;
    QToolButton* m_down;
    QHBoxLayout* m_toolbar;
    QStackedWidget* m_formStack;
    QLabel* m_title;
    QLabel* m_error;
    QLabel* m_columnsCaption;
    QListWidget* m_columns;
    ParamForm* m_form;
    QWidget* m_expressionBox;
    QLineEdit* m_expression;
    QLabel* m_expressionStatus;
    QWidget* m_orderBox;
    QListWidget* m_order;
    QPushButton* m_orderReset;
    QLabel* m_orderHint;
    QLabel* m_note;

    std::vector<StepColumn> m_available;
    QString m_columnsSource;
    // The step the form shows, as the form last wrote or read it: a recipe that comes
    // back equal to it is the echo of the form's own edit and leaves the fields alone.
    int m_shownRow = -1;
    prep::StepSpec m_shownSpec;
    int m_pendingRow = -1;
};

} // namespace stepwise::ui
