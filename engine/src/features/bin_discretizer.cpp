#include "features/bin_discretizer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "features/numpy_quantile.hpp"
#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "binning step";
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> parts;
    if (trimmed(text).empty())
        return parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        parts.push_back(trimmed(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos)
            return parts;
        start = comma + 1;
    }
}

bool isIntegerLiteral(const std::string& text)
{
    const std::size_t digits = text.front() == '-' || text.front() == '+' ? 1 : 0;
    return text.size() > digits &&
           std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits), text.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

/// An edge as typed: a number, inf or -inf.
std::optional<double> parseEdge(const std::string& text)
{
    if (text == "inf" || text == "+inf")
        return kInf;
    if (text == "-inf")
        return -kInf;
    const char* begin = text.data() + (text.size() > 1 && text.front() == '+' ? 1 : 0);
    const char* end = text.data() + text.size();
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

[[noreturn]] void badEdges(const std::string& given, const std::string& problem)
{
    std::string message = "edges '";
    message.append(given);
    message.append("' ");
    message.append(problem);
    message.append(" — give at least two strictly increasing numbers, comma-separated (inf and -inf allowed), "
                   "e.g. 0,18,65,inf");
    throw core::InvalidParameter(message);
}

// ---- pandas' interval labels ---------------------------------------------------------

/// Python's repr of a float: shortest round-trip digits, fixed notation for decimal
/// exponents −5 < e < 16 (with ".0" for whole numbers), else "1.5e+16" / "1e-05".
std::string pythonFloatText(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                         std::chars_format::scientific);
    const std::string scientific(buffer.data(), ec == std::errc() ? end : buffer.data());
    const auto e = scientific.find('e');
    std::string mantissa = scientific.substr(0, e);
    const int exponent = std::stoi(scientific.substr(e + 1));
    std::string sign;
    if (mantissa.front() == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.')
            digits.push_back(c);
    const int point = exponent + 1;  // digits are 0.d1d2… × 10^point
    std::string text = sign;
    if (point <= -4 || point > 16) {
        text.push_back(digits.front());
        if (digits.size() > 1) {
            text.push_back('.');
            text.append(digits.substr(1));
        }
        char exponentText[16];
        std::snprintf(exponentText, sizeof exponentText, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        text.append(exponentText);
    } else if (point <= 0) {
        text.append("0.");
        text.append(static_cast<std::size_t>(-point), '0');
        text.append(digits);
    } else if (static_cast<std::size_t>(point) >= digits.size()) {
        text.append(digits);
        text.append(static_cast<std::size_t>(point) - digits.size(), '0');
        text.append(".0");
    } else {
        text.append(digits.substr(0, static_cast<std::size_t>(point)));
        text.push_back('.');
        text.append(digits.substr(static_cast<std::size_t>(point)));
    }
    return text;
}

/// NumPy's np.around(x, decimals) for decimals ≥ 0: rint(x · 10^d) / 10^d.
double numpyAround(double value, int decimals)
{
    double scale = 1.0;
    for (int i = 0; i < decimals; ++i)
        scale *= 10.0;
    return std::nearbyint(value * scale) / scale;
}

/// pandas' _round_frac: `precision` decimals, or as many significant ones for |x| < 1.
double roundFraction(double value, int precision)
{
    if (!std::isfinite(value) || value == 0.0)
        return value;
    double whole = 0.0;
    const double fraction = std::modf(value, &whole);
    const int digits = whole == 0.0 ? -static_cast<int>(std::floor(std::log10(std::abs(fraction)))) - 1 + precision
                                    : precision;
    return numpyAround(value, digits);
}

/// The label text of each edge as pd.cut writes it: integers as they are, other numbers
/// rounded with the smallest precision from 3 on that keeps them distinct (pandas'
/// _infer_precision), in Python's float spelling.
std::vector<std::string> edgeTexts(const std::vector<double>& edges, bool integerEdges)
{
    std::vector<std::string> texts;
    if (integerEdges) {
        for (double edge : edges)
            texts.push_back(std::to_string(static_cast<long long>(edge)));
        return texts;
    }
    int precision = 3;
    for (int candidate = 3; candidate < 20; ++candidate) {
        std::set<double> distinct;
        for (double edge : edges)
            distinct.insert(roundFraction(edge, candidate));
        if (distinct.size() == edges.size()) {
            precision = candidate;
            break;
        }
    }
    for (double edge : edges)
        texts.push_back(pythonFloatText(roundFraction(edge, precision)));
    return texts;
}

/// Default labels: pandas' interval text of each bin. Given edges follow `right`;
/// KBinsDiscretizer's bins are [a, b) with the outer ones open to infinity.
std::vector<std::string> defaultLabels(const std::vector<double>& edges, const BinSettings& settings)
{
    const bool given = settings.strategy == BinStrategy::Edges;
    std::vector<double> shown = edges;
    if (!given) {
        shown.front() = -kInf;
        shown.back() = kInf;
    }
    const std::vector<std::string> texts = edgeTexts(shown, given && settings.integerEdges);
    std::vector<std::string> labels;
    for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
        const bool openLeft = given ? settings.right : i == 0;
        const bool openRight = given ? !settings.right : true;
        std::string label(1, openLeft ? '(' : '[');
        label.append(texts[i]);
        label.append(", ");
        label.append(texts[i + 1]);
        label.push_back(openRight ? ')' : ']');
        labels.push_back(std::move(label));
    }
    return labels;
}

// ---- fitting --------------------------------------------------------------------------

/// np.linspace(low, high, bins + 1).
std::vector<double> uniformEdges(double low, double high, int bins)
{
    const double step = (high - low) / static_cast<double>(bins);
    std::vector<double> edges;
    for (int i = 0; i < bins; ++i)
        edges.push_back(static_cast<double>(i) * step + low);
    edges.push_back(high);
    return edges;
}

/// np.percentile(values, np.linspace(0, 100, bins + 1)), then scikit-learn's removal of
/// edges closer than 1e-8 to the one before them.
std::vector<double> quantileEdges(const std::vector<double>& sorted, int bins)
{
    const double step = 100.0 / static_cast<double>(bins);
    std::vector<double> all;
    for (int i = 0; i <= bins; ++i)
        all.push_back(linearPercentile(sorted, i == bins ? 100.0 : static_cast<double>(i) * step));
    std::vector<double> kept{all.front()};
    for (std::size_t i = 1; i < all.size(); ++i)
        if (all[i] - all[i - 1] > 1e-8)
            kept.push_back(all[i]);
    // Every edge within 1e-8 of the first (a column of tiny numbers): scikit-learn is left
    // with one edge and puts every value in bin 0; one bin over everything does the same
    // and keeps two edges, as every fitted column has.
    if (kept.size() < 2)
        return {-kInf, kInf};
    return kept;
}

std::string listText(const std::vector<std::string>& words)
{
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty())
            text.append(", ");
        text.append(word);
    }
    return text;
}

} // namespace

BinSettings binSettingsFromText(const std::string& strategy, long long bins, const std::string& edges,
                                const std::string& labels, const std::string& output, bool right)
{
    BinSettings settings;
    if (strategy == "uniform")
        settings.strategy = BinStrategy::Uniform;
    else if (strategy == "quantile")
        settings.strategy = BinStrategy::Quantile;
    else if (strategy == "edges")
        settings.strategy = BinStrategy::Edges;
    else
        throw core::InvalidParameter("strategy '" + strategy + "' is not a binning strategy — use uniform, quantile "
                                     "or edges");
    if (bins < 2 || bins > 1000)
        throw core::InvalidParameter("bins " + std::to_string(bins) + " is outside [2, 1000]");
    settings.bins = static_cast<int>(bins);
    if (output == "category")
        settings.output = BinOutput::Category;
    else if (output != "ordinal")
        throw core::InvalidParameter("output '" + output + "' is not understood — use ordinal or category");
    settings.right = right;

    const std::vector<std::string> edgeList = splitList(edges);
    if (settings.strategy == BinStrategy::Edges) {
        if (edgeList.size() < 2)
            badEdges(edges, edgeList.empty() ? "are empty" : "have only one value");
        settings.integerEdges = true;
        for (const std::string& text : edgeList) {
            const auto value = text.empty() ? std::nullopt : parseEdge(text);
            if (!value)
                badEdges(edges, "have '" + text + "', which is not a number");
            if (!settings.edges.empty() && !(*value > settings.edges.back()))
                badEdges(edges, "are not strictly increasing at '" + text + "'");
            settings.edges.push_back(*value);
            // pd.cut writes integer edges without ".0" (an int64 array), so a list typed
            // as integers gets integer labels, as the same list in Python would.
            settings.integerEdges = settings.integerEdges && isIntegerLiteral(text) && std::abs(*value) < 9.0e15;
        }
    } else if (!edgeList.empty()) {
        throw core::InvalidParameter("edges '" + edges + "' are only used with strategy=edges — set strategy=edges, "
                                     "or leave edges empty for " + strategy + " bins");
    }

    settings.labels = splitList(labels);
    if (!settings.labels.empty()) {
        if (settings.output != BinOutput::Category)
            throw core::InvalidParameter("labels '" + labels + "' are only used with output=category — set "
                                         "output=category, or leave labels empty for bin numbers");
        const std::size_t wanted =
            settings.strategy == BinStrategy::Edges ? settings.edges.size() - 1 : static_cast<std::size_t>(bins);
        if (settings.labels.size() != wanted)
            throw core::InvalidParameter("labels '" + labels + "' give " +
                                         prep::countOf(settings.labels.size(), "name") + " for " +
                                         prep::countOf(wanted, "bin") + " — give exactly " +
                                         std::to_string(wanted) + " comma-separated names (one fewer than the edges), "
                                         "or leave labels empty");
        std::set<std::string> distinct(settings.labels.begin(), settings.labels.end());
        if (distinct.size() != settings.labels.size() || distinct.count(std::string()) > 0)
            throw core::InvalidParameter("labels '" + labels + "' have an empty or repeated name — give each bin "
                                         "its own name");
    }
    return settings;
}

std::string BinDiscretizer::describe() const
{
    std::string text;
    switch (m_settings.strategy) {
    case BinStrategy::Uniform:
        text = "equal-width binning";
        break;
    case BinStrategy::Quantile:
        text = "quantile (equal-count) binning";
        break;
    case BinStrategy::Edges:
        text = "binning";
        break;
    }
    text.append(m_fitted ? " of " + prep::countOf(m_names.size(), "numeric column") : " of the numeric columns");
    if (m_settings.strategy == BinStrategy::Edges) {
        std::vector<std::string> edges;
        for (double edge : m_settings.edges)
            edges.push_back(data::formatNumber(edge));
        text.append(" at the edges ");
        text.append(listText(edges));
        text.append(m_settings.right ? " (each bin includes its right edge; values outside become missing)"
                                     : " (each bin includes its left edge; values outside become missing)");
    } else {
        text.append(" into ");
        text.append(std::to_string(m_settings.bins));
        text.append(" bins from the training rows");
    }
    text.append(m_settings.output == BinOutput::Ordinal ? " → bin numbers 0..k−1" : " → bin labels as categories");
    if (!m_fitted)
        return text + " (not fitted yet)";
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const std::size_t bins = m_edges[i].size() - 1;
        if (m_settings.strategy == BinStrategy::Edges || bins == static_cast<std::size_t>(m_settings.bins))
            continue;
        text.append("; '");
        text.append(m_names[i]);
        text.append(std::isinf(m_edges[i].front()) ? "' is constant in the training rows: one bin"
                                                   : "' has " + prep::countOf(bins, "bin") +
                                                         " (repeated quantile edges dropped)");
    }
    return text;
}

void BinDiscretizer::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    const std::vector<std::string> binned = prep::columnsInScope(train, m_requested, prep::ColumnScope::Numeric, kStep);
    std::vector<std::vector<double>> allEdges;
    std::vector<std::vector<std::string>> allLabels;
    for (std::size_t index = 0; index < binned.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(binned.size()), "fitting the " + kStep);
        const data::Column& column = train.column(binned[index]);
        std::vector<double> edges = m_settings.edges;
        if (m_settings.strategy != BinStrategy::Edges) {
            const std::vector<double> sorted = sortedPresent(column.values());
            if (sorted.empty())
                throw prep::noTrainingValues(column.name());
            if (std::isinf(sorted.front()) || std::isinf(sorted.back())) {
                const double infinite = std::isinf(sorted.front()) ? sorted.front() : sorted.back();
                const auto row = static_cast<std::size_t>(
                    std::find(column.values().begin(), column.values().end(), infinite) - column.values().begin());
                throw core::DataError("column '" + column.name() + "' has the value " + pythonFloatText(infinite) +
                                      " in row " + std::to_string(row) +
                                      " of the training rows — uniform and quantile bins need finite numbers; "
                                      "fix or drop that value, or bin with strategy=edges");
            }
            if (sorted.front() == sorted.back())
                edges = {-kInf, kInf};  // scikit-learn: a constant column is one bin
            else if (m_settings.strategy == BinStrategy::Uniform)
                edges = uniformEdges(sorted.front(), sorted.back(), m_settings.bins);
            else
                edges = quantileEdges(sorted, m_settings.bins);
        }
        std::vector<std::string> labels;
        if (m_settings.output == BinOutput::Category) {
            labels = m_settings.labels.empty() ? defaultLabels(edges, m_settings) : m_settings.labels;
            if (labels.size() != edges.size() - 1)
                throw core::DataError("column '" + column.name() + "' gives only " +
                                      prep::countOf(edges.size() - 1, "bin") +
                                      " in the training rows (a constant column has one, and repeated quantile "
                                      "edges are dropped), but " +
                                      std::to_string(labels.size()) + " labels were given — use bins=" +
                                      std::to_string(edges.size() - 1) + ", or leave labels empty");
        }
        allEdges.push_back(std::move(edges));
        allLabels.push_back(std::move(labels));
    }
    m_names = binned;
    m_edges = std::move(allEdges);
    m_labels = std::move(allLabels);
    m_fitted = true;
    control.progress(1.0);
}

data::Table BinDiscretizer::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    data::Table result = table;
    const bool given = m_settings.strategy == BinStrategy::Edges;
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const data::Column& column = prep::requireFittedColumn(table, m_names[i], data::ColumnType::Numeric, kStep);
        const std::vector<double>& edges = m_edges[i];
        std::vector<double> bins(column.size(), kNaN);
        for (std::size_t row = 0; row < column.size(); ++row) {
            const double value = column.values()[row];
            if (std::isnan(value))
                continue;
            if (!given) {
                // np.searchsorted(edges[1:-1], x, side="right"): outside values go to the
                // first or last bin.
                bins[row] = static_cast<double>(std::upper_bound(edges.begin() + 1, edges.end() - 1, value) -
                                                (edges.begin() + 1));
                continue;
            }
            // pd.cut: searchsorted(edges, x, side="left" if right else "right"); index 0
            // or past the end is outside the edges.
            const auto at = m_settings.right ? std::lower_bound(edges.begin(), edges.end(), value)
                                             : std::upper_bound(edges.begin(), edges.end(), value);
            if (at != edges.begin() && at != edges.end())
                bins[row] = static_cast<double>(at - edges.begin() - 1);
        }
        if (m_settings.output == BinOutput::Ordinal) {
            result.replaceColumn(data::Column::numeric(column.name(), std::move(bins)));
            continue;
        }
        std::vector<std::int32_t> codes(bins.size(), data::Column::kMissingCode);
        for (std::size_t row = 0; row < bins.size(); ++row)
            if (!std::isnan(bins[row]))
                codes[row] = static_cast<std::int32_t>(bins[row]);
        result.replaceColumn(data::Column::categorical(column.name(), std::move(codes), m_labels[i]));
    }
    return result;
}

bool BinDiscretizer::isConsistent() const
{
    if (!m_fitted || m_names.size() != m_edges.size() || m_names.size() != m_labels.size())
        return false;
    const bool category = m_settings.output == BinOutput::Category;
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const auto& edges = m_edges[i];
        if (edges.size() < 2 ||
            std::adjacent_find(edges.begin(), edges.end(), [](double a, double b) { return !(a < b); }) != edges.end())
            return false;
        if (m_labels[i].size() != (category ? edges.size() - 1 : 0))
            return false;
    }
    return true;
}

void BinDiscretizer::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be exported");
    const bool given = m_settings.strategy == BinStrategy::Edges;
    std::vector<io::OnnxColumn> columns = graph.columns();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        const io::OnnxColumn& column = graph.column(m_names[i]);
        const std::string x = prep::onnxFloat(graph, column, kStep);
        const std::vector<double>& edges = m_edges[i];
        // Learned edges: searchsorted(edges[1:-1], x, "right") = how many inner edges are
        // <= x. Given edges: searchsorted(edges, x, "left" if right else "right") − 1,
        // missing outside [1, edges − 1].
        const std::vector<double> compared =
            given ? edges : std::vector<double>(edges.begin() + 1, edges.end() - 1);
        std::string count;
        if (compared.empty()) {
            count = graph.addNode("Mul", {x, prep::onnxScalar(graph, 0.0)});
        } else {
            std::vector<float> values;
            for (double edge : compared)
                values.push_back(static_cast<float>(edge));
            const std::string row = graph.constant(values, {1, static_cast<std::int64_t>(values.size())});
            const std::string below = given && m_settings.right ? graph.addNode("Less", {row, x})
                                                                : graph.addNode("LessOrEqual", {row, x});
            count = graph.addNode("ReduceSum",
                                  {graph.addNode("Cast", {below}, {{"to", std::int64_t{1}}}),
                                   graph.constant(std::vector<std::int64_t>{1}, {1})},
                                  {{"keepdims", std::int64_t{1}}});
        }
        std::string bin = count;
        std::string missing = graph.addNode("IsNaN", {x});
        if (given) {
            bin = graph.addNode("Sub", {count, prep::onnxScalar(graph, 1.0)});
            const std::string outside = graph.addNode(
                "Or", {graph.addNode("Less", {count, prep::onnxScalar(graph, 1.0)}),
                       graph.addNode("Greater", {count, prep::onnxScalar(graph, static_cast<double>(edges.size() - 1))})});
            missing = graph.addNode("Or", {missing, outside});
        }
        if (m_settings.output == BinOutput::Ordinal) {
            const std::string value = graph.addNode("Where", {missing, prep::onnxScalar(graph, kNaN), bin});
            columns = prep::withColumn(columns, column.name, {column.name, value, io::OnnxElement::Float});
            continue;
        }
        // A missing bin takes label 0 for the Gather, then the missing category "".
        const std::string safe = graph.addNode("Where", {missing, prep::onnxScalar(graph, 0.0), bin});
        const std::string index = graph.addNode("Cast", {safe}, {{"to", std::int64_t{7}}});  // 7 = INT64
        const std::string labels =
            graph.constant(m_labels[i], {static_cast<std::int64_t>(m_labels[i].size())});
        const std::string label = graph.addNode("Gather", {labels, index}, {{"axis", std::int64_t{0}}});
        const std::string value =
            graph.addNode("Where", {missing, graph.constant(std::vector<std::string>{""}, {1, 1}), label});
        columns = prep::withColumn(columns, column.name, {column.name, value, io::OnnxElement::String});
    }
    graph.setColumns(std::move(columns));
}

void BinDiscretizer::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void BinDiscretizer::load(core::InputArchive& archive)
{
    BinDiscretizer loaded;
    archive >> loaded;
    const int strategy = static_cast<int>(loaded.m_settings.strategy);
    const int output = static_cast<int>(loaded.m_settings.output);
    if (strategy < 0 || strategy > 2 || output < 0 || output > 1 || !loaded.isConsistent())
        throw prep::corruptArchive(kStep);
    loaded.m_requested = std::move(m_requested);
    *this = std::move(loaded);
}

} // namespace stepwise::features
