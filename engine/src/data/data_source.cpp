#include "stepwise/data/data_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/csv_reader.hpp"

namespace stepwise::data {
namespace {

constexpr std::string_view kBuiltinPrefix = "builtin:";

std::string formatBool(bool value) { return value ? "true" : "false"; }

std::string describeGenerator(const ClassificationSpec& spec)
{
    std::string text = "make_classification(samples=";
    text.append(std::to_string(spec.samples));
    text.append(", features=").append(std::to_string(spec.features));
    text.append(", informative=").append(std::to_string(spec.informative));
    text.append(", redundant=").append(std::to_string(spec.redundant));
    text.append(", repeated=").append(std::to_string(spec.repeated));
    text.append(", classes=").append(std::to_string(spec.classes));
    text.append(", clusters_per_class=").append(std::to_string(spec.clustersPerClass));
    if (!spec.weights.empty()) {
        text.append(", weights=[");
        for (std::size_t i = 0; i < spec.weights.size(); ++i) {
            if (i > 0)
                text.append(", ");
            text.append(formatNumber(spec.weights[i]));
        }
        text.append("]");
    }
    text.append(", flip_y=").append(formatNumber(spec.flipY));
    text.append(", class_sep=").append(formatNumber(spec.classSep));
    text.append(", hypercube=").append(formatBool(spec.hypercube));
    text.append(", shift=").append(formatNumber(spec.shift));
    text.append(", scale=").append(formatNumber(spec.scale));
    text.append(", shuffle=").append(formatBool(spec.shuffle));
    text.append(", seed=").append(std::to_string(spec.seed));
    text.append(")");
    return text;
}

std::string lowerExtension(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

} // namespace

std::string DataSource::describe() const
{
    switch (kind) {
    case DataSourceKind::File:
        return location;
    case DataSourceKind::Builtin:
        return std::string(kBuiltinPrefix) + location;
    case DataSourceKind::Generated:
        return describeGenerator(generator);
    }
    return location;
}

DataSource parseDataLocation(const std::string& text)
{
    DataSource source;
    if (text.compare(0, kBuiltinPrefix.size(), kBuiltinPrefix) == 0) {
        source.kind = DataSourceKind::Builtin;
        source.location = text.substr(kBuiltinPrefix.size());
    } else {
        source.kind = DataSourceKind::File;
        source.location = text;
    }
    return source;
}

Table loadTable(const DataSource& source, core::TaskControl* control)
{
    switch (source.kind) {
    case DataSourceKind::Builtin:
        return loadBuiltinDataset(source.location);
    case DataSourceKind::Generated:
        return makeClassification(source.generator);
    case DataSourceKind::File:
        break;
    }
    const std::string extension = lowerExtension(source.location);
    if (extension != ".csv" && extension != ".tsv" && extension != ".txt")
        throw core::DataError("Stepwise reads .csv and .tsv files in this version — save the data as CSV",
                              {source.location, 0, 0});
    return readCsvFile(source.location, {}, control);
}

} // namespace stepwise::data
