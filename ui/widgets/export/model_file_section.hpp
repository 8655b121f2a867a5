#pragma once
/// \file
/// \brief The Export page's native model file: Save…, optional passphrase encryption, and
/// the written file's size and SHA-256.

#include "widgets/export/export_section.hpp"

class QCheckBox;
class QPushButton;

namespace stepwise::ui {

/// \brief Saves the whole fitted pipeline as a `.stepwise` file through
/// `Session::saveModel` (in the background). With "Encrypt with a passphrase" ticked the
/// passphrase must be typed twice; while the two differ (or are empty) Save is disabled
/// and the section says why. After saving it shows the path, the size, the format and
/// the SHA-256 of the file as read back from the disk.
class ModelFileSection : public ExportSection {
    Q_OBJECT
public:
    ModelFileSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);

    /// \brief Asks where to save and saves.
    void saveInteractively();
    /// \brief Saves to `path` with the passphrase as typed (when encryption is ticked);
    /// false (and nothing written) when the passphrase fields do not allow saving.
    bool saveTo(const QString& path);
    /// \brief Why Save is disabled, in words; empty when it can save.
    QString blockedReason() const;

    QPushButton* saveButton() const { return m_save; }
    QCheckBox* encryptBox() const { return m_encrypt; }
    QLineEdit* passphraseEdit() const { return m_passphrase; }
    QLineEdit* confirmEdit() const { return m_confirm; }
    /// \brief The facts of the written file ("12 KB · format 2 · encrypted · SHA-256 …").
    QString fileFacts() const;

    void refresh() override;

private:
    QPushButton* m_save;
    QCheckBox* m_encrypt;
    QWidget* m_passphraseBox;
    QLineEdit* m_passphrase;
    QLineEdit* m_confirm;
    QLabel* m_passphraseNote;
    QLabel* m_path;
    QLabel* m_facts;
};

} // namespace stepwise::ui
