#include "widgets/export/model_file_section.hpp"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {

ModelFileSection::ModelFileSection(Session* session, StatusBanner* banner, QWidget* parent)
    : ExportSection(tr("Model file (.stepwise)"), session, banner, QStringLiteral("save-error"), parent),
      m_save(new QPushButton(tr("Save model…"), this)),
      m_encrypt(new QCheckBox(tr("Encrypt with a passphrase"), this)),
      m_passphraseBox(new QWidget(this)),
      m_passphrase(new QLineEdit(this)),
      m_confirm(new QLineEdit(this)),
      m_passphraseNote(new QLabel(this)),
      m_path(new QLabel(this)),
      m_facts(new QLabel(this))
{
    setObjectName(QStringLiteral("modelFileSection"));
    m_save->setObjectName(QStringLiteral("saveModelButton"));
    m_encrypt->setObjectName(QStringLiteral("encryptModelBox"));
    m_passphrase->setObjectName(QStringLiteral("passphraseEdit"));
    m_confirm->setObjectName(QStringLiteral("passphraseConfirmEdit"));
    m_passphraseNote->setObjectName(QStringLiteral("passphraseNote"));
    m_path->setObjectName(QStringLiteral("savedPathLabel"));
    m_facts->setObjectName(QStringLiteral("savedFileFacts"));

    m_save->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_save->setToolTip(tr("Save the fitted pipeline as a .stepwise file"));
    m_encrypt->setToolTip(tr("For models that must not be readable at rest: the file cannot be loaded without "
                             "the passphrase. A lost passphrase cannot be recovered."));
    for (QLineEdit* edit : {m_passphrase, m_confirm}) {
        edit->setEchoMode(QLineEdit::Password);
        edit->setClearButtonEnabled(true);
    }
    m_passphrase->setPlaceholderText(tr("passphrase"));
    m_confirm->setPlaceholderText(tr("the same again"));
    m_passphraseNote->setWordWrap(true);
    m_path->setWordWrap(true);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(m_save);
    saveRow->addSpacing(8);
    saveRow->addWidget(m_path, 1);
    layout->addLayout(saveRow);
    layout->addWidget(m_facts);
    layout->addWidget(m_encrypt);
    auto* form = new QFormLayout(m_passphraseBox);
    form->setContentsMargins(20, 0, 0, 0);
    form->addRow(tr("Pa&ssphrase:"), m_passphrase);
    form->addRow(tr("Confir&m:"), m_confirm);
    form->addRow(m_passphraseNote);
    layout->addWidget(m_passphraseBox);
    layout->addWidget(makeNote(tr("The file holds the whole fitted pipeline — missing-value rules, scaling, encoding "
                                  "and the model — so it takes raw rows with the same columns as the training data."),
                               this));

    connect(m_save, &QPushButton::clicked, this, &ModelFileSection::saveInteractively);
    connect(m_encrypt, &QCheckBox::toggled, this, &ModelFileSection::refresh);
    connect(m_passphrase, &QLineEdit::textChanged, this, &ModelFileSection::refresh);
    connect(m_confirm, &QLineEdit::textChanged, this, &ModelFileSection::refresh);
    connect(session, &Session::savedModelChanged, this, &ModelFileSection::refresh);
    connect(session, &Session::resultChanged, this, &ModelFileSection::refresh);
    connect(session->exportTask(), &BackgroundTask::started, this, [this] {
        clearMessage();
        refresh();
    });
    connect(session->exportTask(), &BackgroundTask::finished, this, &ModelFileSection::refresh);
    connect(session, &Session::modelSaveFailed, this,
            [this](const QString& message) { showError(tr("The model was not saved: %1").arg(message)); });
    refresh();
}

QString ModelFileSection::blockedReason() const
{
    if (!session()->result())
        return tr("Train a model first.");
    if (!m_encrypt->isChecked())
        return {};
    if (m_passphrase->text().isEmpty())
        return tr("Type a passphrase twice to encrypt the file, or untick encryption.");
    if (m_confirm->text().isEmpty())
        return tr("Type the passphrase again under Confirm.");
    if (m_passphrase->text() != m_confirm->text())
        return tr("The two passphrases differ — type the same passphrase in both fields.");
    return {};
}

void ModelFileSection::saveInteractively()
{
    if (!session()->result()) {
        showError(tr("There is no model to save yet — train one on the Training step."));
        return;
    }
    if (!blockedReason().isEmpty())
        return;
    const QString path = askSavePath(tr("Save model"), suggestedStem() + QStringLiteral(".stepwise"),
                                     {tr("Stepwise models (*.stepwise)"), tr("All files (*)")});
    if (!path.isEmpty())
        saveTo(path);
}

bool ModelFileSection::saveTo(const QString& path)
{
    if (!blockedReason().isEmpty())
        return false;
    std::optional<std::string> passphrase;
    if (m_encrypt->isChecked())
        passphrase = m_passphrase->text().toStdString();
    session()->saveModel(QFileInfo(path).absoluteFilePath(), passphrase);
    return true;
}

QString ModelFileSection::fileFacts() const { return m_facts->text(); }

void ModelFileSection::refresh()
{
    const bool saving = session()->exportTask()->isRunning();
    const QString reason = blockedReason();
    m_passphraseBox->setVisible(m_encrypt->isChecked());
    const bool mismatch = m_encrypt->isChecked() && !m_confirm->text().isEmpty() &&
                          m_passphrase->text() != m_confirm->text();
    m_passphraseNote->setText(m_encrypt->isChecked() ? reason : QString());
    m_passphraseNote->setStyleSheet(mismatch ? QStringLiteral("color: %1;").arg(bannerColor(StatusBanner::Level::Error).name())
                                             : QString());
    if (m_encrypt->isChecked() && reason.isEmpty())
        m_passphraseNote->setText(tr("The passphrases match. Keep it safe: without it the file cannot be opened."));
    m_save->setEnabled(session()->result() && !saving && reason.isEmpty());
    m_save->setToolTip(reason.isEmpty() ? tr("Save the fitted pipeline as a .stepwise file") : reason);

    const QString saved = session()->savedModelPath();
    m_facts->setVisible(!saving && !saved.isEmpty());
    if (saving) {
        m_path->setText(tr("Saving…"));
    } else if (!saved.isEmpty()) {
        m_path->setText(tr("Saved to <b>%1</b>").arg(QDir::toNativeSeparators(saved).toHtmlEscaped()));
        const Session::SavedModelInfo& info = session()->savedModelInfo();
        QStringList facts;
        facts << formatBytes(info.fileBytes) << tr("format %1").arg(info.formatVersion)
              << (info.encrypted ? tr("encrypted") : tr("not encrypted"));
        m_facts->setText(facts.join(QStringLiteral(" · ")) +
                         tr("<br>SHA-256 of the file: <code>%1</code>").arg(info.fileSha256));
        m_facts->setToolTip(tr("Compare with “sha256sum FILE” after copying the model to check it arrived whole. "
                               "The header's own payload digest: %1")
                                .arg(info.payloadSha256));
    } else {
        m_path->setText(session()->result() ? tr("Not saved yet.") : tr("Train a model first."));
    }
}

} // namespace stepwise::ui
