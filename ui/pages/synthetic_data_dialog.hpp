#pragma once
/// \file
/// \brief The form for generated classification data (scikit-learn's make_classification).

#include <QDialog>

#include "stepwise/data/synthetic.hpp"

class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace stepwise::ui {

/// \brief Asks for samples, features, informative, redundant, classes, clusters per
/// class, class separation, label noise and seed; refuses combinations the generator
/// cannot make and says why.
class SyntheticDataDialog : public QDialog {
    Q_OBJECT
public:
    explicit SyntheticDataDialog(QWidget* parent = nullptr);

    /// \brief Shows `spec` in the form.
    void setSpec(const data::ClassificationSpec& spec);
    /// \brief The spec as entered.
    data::ClassificationSpec spec() const;
    /// \brief Why the entered spec cannot be generated (empty when it can).
    QString problem() const;

private:
    void validate();

    QSpinBox* m_samples;
    QSpinBox* m_features;
    QSpinBox* m_informative;
    QSpinBox* m_redundant;
    QSpinBox* m_classes;
    QSpinBox* m_clusters;
    QDoubleSpinBox* m_classSep;
    QDoubleSpinBox* m_flipY;
    QSpinBox* m_seed;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace stepwise::ui
