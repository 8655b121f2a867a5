#include "pages/synthetic_data_dialog.hpp"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "pages/wizard_step_page.hpp"

namespace stepwise::ui {
namespace {

QSpinBox* spin(QWidget* parent, int low, int high, const QString& tip)
{
    auto* box = new QSpinBox(parent);
    box->setRange(low, high);
    box->setGroupSeparatorShown(true);
    box->setToolTip(tip);
    return box;
}

} // namespace

SyntheticDataDialog::SyntheticDataDialog(QWidget* parent)
    : QDialog(parent),
      m_samples(spin(this, 10, 10'000'000, tr("Number of rows"))),
      m_features(spin(this, 1, 2000, tr("Total number of feature columns"))),
      m_informative(spin(this, 1, 2000, tr("Features that carry the class signal"))),
      m_redundant(spin(this, 0, 2000, tr("Features that are linear combinations of the informative ones"))),
      m_classes(spin(this, 2, 100, tr("Number of classes of the target"))),
      m_clusters(spin(this, 1, 20, tr("Gaussian clusters per class; more makes the classes harder to separate"))),
      m_classSep(new QDoubleSpinBox(this)),
      m_flipY(new QDoubleSpinBox(this)),
      m_seed(spin(this, 0, std::numeric_limits<int>::max(), tr("Same seed, same table"))),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Generate synthetic data"));
    setMinimumWidth(420);
    m_classSep->setRange(0.01, 100.0);
    m_classSep->setSingleStep(0.1);
    m_classSep->setToolTip(tr("Distance between the class clusters; larger is easier"));
    m_flipY->setRange(0.0, 1.0);
    m_flipY->setDecimals(3);
    m_flipY->setSingleStep(0.01);
    m_flipY->setToolTip(tr("Fraction of labels assigned at random (label noise)"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Samples (rows):"), m_samples);
    form->addRow(tr("&Features:"), m_features);
    form->addRow(tr("&Informative:"), m_informative);
    form->addRow(tr("&Redundant:"), m_redundant);
    form->addRow(tr("C&lasses:"), m_classes);
    form->addRow(tr("Cl&usters per class:"), m_clusters);
    form->addRow(tr("Class se&paration:"), m_classSep);
    form->addRow(tr("Label &noise (flip_y):"), m_flipY);
    form->addRow(tr("S&eed:"), m_seed);

    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Generate"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeNote(tr("Classes drawn as Gaussian clusters on the corners of a hypercube, as "
                                  "scikit-learn's make_classification. The target column is “target”."),
                               this));
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QSpinBox* box : {m_samples, m_features, m_informative, m_redundant, m_classes, m_clusters, m_seed})
        connect(box, &QSpinBox::valueChanged, this, &SyntheticDataDialog::validate);

    data::ClassificationSpec defaults;
    defaults.samples = 1000;
    defaults.seed = 42;
    setSpec(defaults);
}

void SyntheticDataDialog::setSpec(const data::ClassificationSpec& spec)
{
    m_samples->setValue(spec.samples);
    m_features->setValue(spec.features);
    m_informative->setValue(spec.informative);
    m_redundant->setValue(spec.redundant);
    m_classes->setValue(spec.classes);
    m_clusters->setValue(spec.clustersPerClass);
    m_classSep->setValue(spec.classSep);
    m_flipY->setValue(spec.flipY);
    m_seed->setValue(int(std::min<std::uint64_t>(spec.seed, std::numeric_limits<int>::max())));
    validate();
}

data::ClassificationSpec SyntheticDataDialog::spec() const
{
    data::ClassificationSpec spec;
    spec.samples = m_samples->value();
    spec.features = m_features->value();
    spec.informative = m_informative->value();
    spec.redundant = m_redundant->value();
    spec.classes = m_classes->value();
    spec.clustersPerClass = m_clusters->value();
    spec.classSep = m_classSep->value();
    spec.flipY = m_flipY->value();
    spec.seed = std::uint64_t(m_seed->value());
    return spec;
}

QString SyntheticDataDialog::problem() const
{
    const auto s = spec();
    if (s.informative + s.redundant > s.features)
        return tr("Informative + redundant (%1) exceeds the number of features (%2) — add features or lower them.")
            .arg(s.informative + s.redundant)
            .arg(s.features);
    // Each class needs its own hypercube corners: classes × clusters ≤ 2^informative.
    if (s.informative < 31 && double(s.classes) * s.clustersPerClass > std::pow(2.0, s.informative))
        return tr("%1 classes × %2 clusters need at least %3 informative features — raise Informative or lower "
                  "Classes/Clusters.")
            .arg(s.classes)
            .arg(s.clustersPerClass)
            .arg(int(std::ceil(std::log2(double(s.classes) * s.clustersPerClass))));
    if (s.samples < s.classes * s.clustersPerClass)
        return tr("Too few samples for %1 clusters — use at least %1 rows.").arg(s.classes * s.clustersPerClass);
    return {};
}

void SyntheticDataDialog::validate()
{
    const QString text = problem();
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(text.isEmpty());
}

} // namespace stepwise::ui
