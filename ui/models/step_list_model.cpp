#include "models/step_list_model.hpp"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QMimeData>
#include <QPalette>
#include <QRegularExpression>

#include "stepwise/core/errors.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/engine_text.hpp"

namespace stepwise::ui {
namespace {

const QString kRowMime = QStringLiteral("application/x-stepwise-step-row");

} // namespace

QString stepDisplayName(const std::string& kind)
{
    for (const prep::StepInfo& info : prep::stepRegistry())
        if (info.kind == kind)
            return engineText(info.displayName);
    return QString::fromStdString(kind);
}

QString stepErrorText(const std::string& error)
{
    static const QRegularExpression enginePrefix(QStringLiteral("^step \\d+ '[^']*': "));
    QString text = QString::fromStdString(error);
    text.remove(enginePrefix);
    return text;
}

QString stepDescription(const prep::StepSpec& spec)
{
    try {
        return engineText(prep::describeStep(spec));
    } catch (const core::Error&) {
        return QString::fromStdString(spec.kind);
    }
}

StepListModel::StepListModel(QObject* parent) : QAbstractListModel(parent) {}

void StepListModel::setSteps(const std::vector<prep::StepSpec>& steps)
{
    if (steps == m_steps)
        return;
    if (steps.size() == m_steps.size()) {
        m_steps = steps;
        if (!m_steps.empty())
            emit dataChanged(index(0), index(int(m_steps.size()) - 1));
        return;
    }
    beginResetModel();
    m_steps = steps;
    endResetModel();
}

void StepListModel::setOutcomes(std::vector<workflow::StepOutcome> outcomes, std::vector<prep::StepSpec> steps)
{
    m_outcomes = std::move(outcomes);
    m_outcomeSteps = std::move(steps);
    m_outcomeSteps.resize(m_outcomes.size());
    if (!m_steps.empty())
        emit dataChanged(index(0), index(int(m_steps.size()) - 1));
}

const workflow::StepOutcome* StepListModel::outcome(int row) const
{
    if (row < 0 || std::size_t(row) >= m_outcomes.size() || std::size_t(row) >= m_steps.size() ||
        !(m_outcomeSteps[std::size_t(row)] == m_steps[std::size_t(row)]))
        return nullptr;
    return &m_outcomes[std::size_t(row)];
}

int StepListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

QString StepListModel::titleOf(int row) const { return stepDisplayName(m_steps[std::size_t(row)].kind); }

QString StepListModel::detailOf(int row) const
{
    const prep::StepSpec& spec = m_steps[std::size_t(row)];
    const workflow::StepOutcome* known = outcome(row);
    // The fitted words say what was learned ("imputation of 2 numeric columns (median)");
    // a step that did not run has only its settings.
    if (known && known->ran && spec.enabled && !known->description.empty())
        return QString::fromStdString(known->description);
    QString words = stepDescription(spec);
    const QString title = titleOf(row);
    if (words.startsWith(title))
        words = words.mid(title.size());
    if (words.startsWith(QLatin1Char(':')))
        words = words.mid(1);
    words = words.trimmed();
    return words.isEmpty() ? tr("default settings") : words;
}

QVariant StepListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const prep::StepSpec& spec = m_steps[std::size_t(index.row())];
    const workflow::StepOutcome* known = outcome(index.row());
    const QString error = known ? stepErrorText(known->error) : QString();
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1. %2 — %3").arg(index.row() + 1).arg(titleOf(index.row()), detailOf(index.row()));
    case TitleRole:
        return QStringLiteral("%1. %2").arg(index.row() + 1).arg(titleOf(index.row()));
    case DetailRole:
        return detailOf(index.row());
    case Qt::CheckStateRole:
        return spec.enabled ? Qt::Checked : Qt::Unchecked;
    case Qt::DecorationRole:
        if (!error.isEmpty())
            return QIcon(bannerIcon(StatusBanner::Level::Error, 16, qApp->devicePixelRatio()));
        return {};
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<p><b>%1</b></p>").arg(titleOf(index.row()).toHtmlEscaped());
        if (!error.isEmpty())
            tip += QStringLiteral("<p style='color:#c62828'>%1</p>").arg(error.toHtmlEscaped());
        tip += QStringLiteral("<p>%1</p>").arg(stepDescription(spec).toHtmlEscaped());
        for (const prep::StepInfo& info : prep::stepRegistry())
            if (info.kind == spec.kind)
                tip += QStringLiteral("<p><i>%1</i></p>").arg(QString::fromStdString(info.description).toHtmlEscaped());
        if (!spec.enabled)
            tip += tr("<p>Off: the step stays in the list but does nothing. Check it to switch it on.</p>");
        return tip;
    }
    case Qt::ForegroundRole:
        if (!spec.enabled) {
            QColor muted = QApplication::palette().color(QPalette::Text);
            muted.setAlphaF(0.5);
            return muted;
        }
        return {};
    case RowsRole:
        if (known && known->ran && known->rowsBefore != known->rowsAfter) {
            const QLocale locale;
            return tr("%1 → %2 rows")
                .arg(locale.toString(qulonglong(known->rowsBefore)), locale.toString(qulonglong(known->rowsAfter)));
        }
        return QString();
    case KindRole:
        return QString::fromStdString(spec.kind);
    case ErrorRole:
        return error;
    default:
        return {};
    }
}

bool StepListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= rowCount() || role != Qt::CheckStateRole)
        return false;
    prep::StepSpec& spec = m_steps[std::size_t(index.row())];
    const bool on = value.toInt() == Qt::Checked;
    if (on == spec.enabled)
        return false;
    spec.enabled = on;
    emit dataChanged(index, index);
    emit edited(on ? tr("Switch on “%1”").arg(titleOf(index.row())) : tr("Switch off “%1”").arg(titleOf(index.row())));
    return true;
}

Qt::ItemFlags StepListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled;
}

Qt::DropActions StepListModel::supportedDropActions() const { return Qt::MoveAction; }

QStringList StepListModel::mimeTypes() const { return {kRowMime}; }

QMimeData* StepListModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto* mime = new QMimeData;
    mime->setData(kRowMime, QByteArray::number(indexes.front().row()));
    return mime;
}

bool StepListModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                    const QModelIndex& parent) const
{
    return action == Qt::MoveAction && data && data->hasFormat(kRowMime) && !parent.isValid();
}

bool StepListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                 const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    bool ok = false;
    const int from = data->data(kRowMime).toInt(&ok);
    if (!ok)
        return false;
    moveRows({}, from, 1, {}, row < 0 ? rowCount() : row);
    // The move is done; returning false keeps the view from removing the dragged row.
    return false;
}

bool StepListModel::moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                             const QModelIndex& destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 ||
        sourceRow >= rowCount() || destinationChild < 0 || destinationChild > rowCount() ||
        destinationChild == sourceRow || destinationChild == sourceRow + 1)
        return false;
    beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild);
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    prep::StepSpec moved = std::move(m_steps[std::size_t(sourceRow)]);
    m_steps.erase(m_steps.begin() + sourceRow);
    m_steps.insert(m_steps.begin() + to, std::move(moved));
    if (m_outcomes.size() == m_steps.size()) {
        workflow::StepOutcome outcome = std::move(m_outcomes[std::size_t(sourceRow)]);
        m_outcomes.erase(m_outcomes.begin() + sourceRow);
        m_outcomes.insert(m_outcomes.begin() + to, std::move(outcome));
        prep::StepSpec step = std::move(m_outcomeSteps[std::size_t(sourceRow)]);
        m_outcomeSteps.erase(m_outcomeSteps.begin() + sourceRow);
        m_outcomeSteps.insert(m_outcomeSteps.begin() + to, std::move(step));
    }
    endMoveRows();
    // The numbers in front of the names changed for every row in between.
    emit dataChanged(index(std::min(sourceRow, to)), index(std::max(sourceRow, to)));
    emit stepMoved(sourceRow, to);
    emit edited(tr("Move “%1” to place %2").arg(titleOf(to)).arg(to + 1));
    return true;
}

} // namespace stepwise::ui
