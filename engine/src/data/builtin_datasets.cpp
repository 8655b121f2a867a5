#include "stepwise/data/builtin_datasets.hpp"

#include "data/embedded_datasets.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/csv_reader.hpp"

namespace stepwise::data {

const std::vector<BuiltinDataset>& builtinDatasets()
{
    static const std::vector<BuiltinDataset> all = {
        {"breast_cancer", "target", "classification",
         "Breast Cancer Wisconsin (Diagnostic), UCI via scikit-learn: 569 tumours, 30 cell-nucleus "
         "measurements, malignant (0) or benign (1)"},
        {"diabetes", "target", "regression",
         "Diabetes (Efron et al. 2004, via scikit-learn): 442 patients, 10 baseline measurements, disease "
         "progression one year later"},
        {"iris", "species", "classification",
         "Iris flowers (Fisher 1936, UCI via seaborn-data): 150 flowers, 4 measurements, 3 species"},
        {"mpg", "mpg", "regression",
         "Auto MPG (UCI via seaborn-data): 398 cars from 1970–82, fuel economy from engine and body data"},
        {"tips", "tip", "regression",
         "Restaurant tips (R reshape2, via seaborn-data): 244 bills with the tip, the party and the day"},
        {"titanic", "survived", "classification",
         "Titanic passengers (Kaggle, via seaborn-data): 891 passengers and whether they survived"},
        {"wine", "target", "classification",
         "Wine recognition (UCI via scikit-learn): 178 wines from 3 cultivars, 13 chemical measurements"},
    };
    return all;
}

Table loadBuiltinDataset(const std::string& name)
{
    for (const auto& dataset : builtinDatasets()) {
        if (dataset.name != name)
            continue;
        for (const auto& file : embedded::files())
            if (name == file.name)
                return parseCsv(file.text, "builtin:" + name);
    }
    std::string names;
    for (const auto& dataset : builtinDatasets()) {
        if (!names.empty())
            names.append(", ");
        names.append(dataset.name);
    }
    throw core::DataError("there is no builtin dataset named '" + name + "' — the builtin datasets are: " + names);
}

} // namespace stepwise::data
