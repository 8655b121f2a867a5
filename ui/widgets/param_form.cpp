#include "widgets/param_form.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include <algorithm>

#include "stepwise/core/errors.hpp"
#include "teaching/glossary.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

QString tooltipFor(const core::ParamSpec& spec)
{
    return QStringLiteral("<p><b>%1</b></p><p>%2</p><p>Allowed: %3<br>Default: %4</p>")
        .arg(QString::fromStdString(spec.name).toHtmlEscaped(), QString::fromStdString(spec.help).toHtmlEscaped(),
             QString::fromStdString(core::describeAllowed(spec)).toHtmlEscaped(),
             QString::fromStdString(spec.defaultValue).toHtmlEscaped());
}

} // namespace

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this))
{
    setObjectName(QStringLiteral("paramForm"));
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_layout->setContentsMargins(0, 0, 0, 0);
}

QWidget* ParamForm::editor(const std::string& name) const
{
    return m_editors.value(QString::fromStdString(name), nullptr);
}

void ParamForm::setSpecs(const std::vector<core::ParamSpec>& specs, const std::map<std::string, std::string>& values,
                         const std::string& owner)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_editors.clear();
    m_specs = specs;
    m_owner = owner;
    m_values.clear();
    for (const auto& spec : specs) {
        auto given = values.find(spec.name);
        if (given != values.end())
            m_values[spec.name] = given->second;
    }

    for (const auto& spec : m_specs) {
        const QString name = QString::fromStdString(spec.name);
        const QString current =
            QString::fromStdString(m_values.count(spec.name) ? m_values.at(spec.name) : spec.defaultValue);
        const QString defaultText = QString::fromStdString(spec.defaultValue);
        QWidget* editor = nullptr;
        switch (spec.kind) {
        case core::ParamKind::Choice: {
            auto* combo = new QComboBox(this);
            for (const auto& word : spec.words)
                combo->addItem(QString::fromStdString(word));
            combo->setCurrentText(current);
            connect(combo, &QComboBox::currentTextChanged, this,
                    [this, spec](const QString& text) { setValue(spec, text); });
            editor = combo;
            break;
        }
        case core::ParamKind::Boolean: {
            auto* check = new QCheckBox(this);
            check->setChecked(current == QLatin1String("true"));
            connect(check, &QCheckBox::toggled, this, [this, spec](bool on) {
                setValue(spec, on ? QStringLiteral("true") : QStringLiteral("false"));
            });
            editor = check;
            break;
        }
        case core::ParamKind::Text: {
            auto* edit = new QLineEdit(current, this);
            edit->setPlaceholderText(defaultText);
            // Free text keeps its spaces: a fill category or a formula may need them.
            connect(edit, &QLineEdit::textChanged, this, [this, spec](const QString& text) { setValue(spec, text); });
            editor = edit;
            break;
        }
        case core::ParamKind::Integer:
        case core::ParamKind::Real:
            if (!spec.words.empty()) {
                auto* combo = new QComboBox(this);
                combo->setEditable(true);
                combo->setInsertPolicy(QComboBox::NoInsert);
                if (!spec.words.empty() &&
                    std::find(spec.words.begin(), spec.words.end(), spec.defaultValue) == spec.words.end())
                    combo->addItem(defaultText);
                for (const auto& word : spec.words)
                    combo->addItem(QString::fromStdString(word));
                combo->setCurrentText(current);
                connect(combo, &QComboBox::currentTextChanged, this,
                        [this, spec](const QString& text) { setValue(spec, text.trimmed()); });
                editor = combo;
            } else {
                auto* edit = new QLineEdit(current, this);
                edit->setPlaceholderText(defaultText);
                connect(edit, &QLineEdit::textChanged, this,
                        [this, spec](const QString& text) { setValue(spec, text.trimmed()); });
                editor = edit;
            }
            break;
        }
        editor->setObjectName(QStringLiteral("param_") + name);
        editor->setToolTip(tooltipFor(spec));
        auto* row = new QWidget(this);
        auto* rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        rowLayout->addWidget(editor, 1);
        if (const QString key = teaching::paramGlossaryKey(owner, spec.name); !key.isEmpty())
            teaching::attachWhy(editor, key, teaching::WhyStyle::Mark);
        if (m_showsDefaults) {
            auto* hint = new QLabel(tr("default %1").arg(defaultText), row);
            hint->setEnabled(false);
            hint->setToolTip(tooltipFor(spec));
            rowLayout->addWidget(hint);
        }
        auto* label = new QLabel(name, this);
        label->setToolTip(tooltipFor(spec));
        label->setBuddy(editor);
        m_layout->addRow(label, row);
        m_editors.insert(name, editor);
    }
    markValidity();
}

void ParamForm::setValue(const core::ParamSpec& spec, const QString& text)
{
    const std::string value = text.toStdString();
    // An empty field means "the default", like leaving the flag off on the command line.
    if (value.empty() || value == spec.defaultValue)
        m_values.erase(spec.name);
    else
        m_values[spec.name] = value;
    markValidity();
    emit valuesChanged();
}

std::vector<std::string> ParamForm::invalidNames() const
{
    std::vector<std::string> invalid;
    for (const auto& [name, value] : m_values) {
        try {
            core::resolveParams(m_specs, {{name, value}}, m_owner);
        } catch (const core::InvalidParameter&) {
            invalid.push_back(name);
        }
    }
    return invalid;
}

void ParamForm::markValidity()
{
    const auto invalid = invalidNames();
    for (const auto& spec : m_specs) {
        QWidget* editor = m_editors.value(QString::fromStdString(spec.name));
        if (!editor)
            continue;
        const bool bad = std::find(invalid.begin(), invalid.end(), spec.name) != invalid.end();
        // A red outline marks the field; the banner above the form says why.
        editor->setStyleSheet(bad ? QStringLiteral("border: 1.5px solid #c62828; border-radius: 3px;") : QString());
    }
}

} // namespace stepwise::ui
