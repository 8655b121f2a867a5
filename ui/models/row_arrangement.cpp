#include "models/row_arrangement.hpp"

#include <QCollator>
#include <QString>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stepwise::ui {
namespace {

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool containsIgnoringCase(const std::string& text, const std::string& lowerNeedle)
{
    if (lowerNeedle.size() > text.size())
        return false;
    return std::search(text.begin(), text.end(), lowerNeedle.begin(), lowerNeedle.end(),
                       [](char a, char b) { return lowerAscii(a) == b; }) != text.end();
}

/// Characters a plain number's text can contain ("-1.5e+07", "inf", "nan"): a needle
/// with any other character cannot match a numeric column, which then costs nothing.
bool couldMatchNumberText(const std::string& lowerNeedle)
{
    return lowerNeedle.find_first_not_of("0123456789.-+einf") == std::string::npos;
}

/// Throws `Cancelled` from inside the sort every so many comparisons; the sort is
/// abandoned and its half-sorted copy discarded.
class CancelCheck {
public:
    explicit CancelCheck(core::TaskControl& control) : m_control(control) {}
    void tick()
    {
        if (++m_count % (1u << 20) == 0)
            m_control.checkCancelled();
    }

private:
    core::TaskControl& m_control;
    std::uint64_t m_count = 0;
};

} // namespace

RowIndex sortRows(const data::Table& table, RowIndex rows, std::size_t column, bool descending,
                  core::TaskControl& control)
{
    const data::Column& data = table.column(column);
    control.progress(0.0, "Sorting by " + data.name());
    CancelCheck check(control);
    if (data.isNumeric()) {
        const auto& values = data.values();
        const auto present = std::stable_partition(rows.begin(), rows.end(),
                                                   [&](std::uint32_t row) { return !std::isnan(values[row]); });
        control.progress(0.1);
        if (descending)
            std::stable_sort(rows.begin(), present, [&](std::uint32_t a, std::uint32_t b) {
                check.tick();
                return values[b] < values[a];
            });
        else
            std::stable_sort(rows.begin(), present, [&](std::uint32_t a, std::uint32_t b) {
                check.tick();
                return values[a] < values[b];
            });
    } else {
        // Rank the category names once; rows then compare by integer rank.
        const auto& levels = data.levels();
        std::vector<std::uint32_t> order(levels.size());
        std::iota(order.begin(), order.end(), 0u);
        QCollator collator;
        collator.setNumericMode(true);
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        std::vector<QCollatorSortKey> keys;
        keys.reserve(levels.size());
        for (const auto& level : levels)
            keys.push_back(collator.sortKey(QString::fromStdString(level)));
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            check.tick();
            return keys[a].compare(keys[b]) < 0;
        });
        std::vector<std::uint32_t> rank(levels.size());
        for (std::uint32_t i = 0; i < order.size(); ++i)
            rank[order[i]] = i;
        control.progress(0.3);
        const auto& codes = data.codes();
        const auto present =
            std::stable_partition(rows.begin(), rows.end(), [&](std::uint32_t row) { return codes[row] >= 0; });
        if (descending)
            std::stable_sort(rows.begin(), present, [&](std::uint32_t a, std::uint32_t b) {
                check.tick();
                return rank[std::size_t(codes[b])] < rank[std::size_t(codes[a])];
            });
        else
            std::stable_sort(rows.begin(), present, [&](std::uint32_t a, std::uint32_t b) {
                check.tick();
                return rank[std::size_t(codes[a])] < rank[std::size_t(codes[b])];
            });
    }
    control.progress(1.0);
    return rows;
}

RowIndex filterRows(const data::Table& table, const std::string& needle, int column, core::TaskControl& control)
{
    const std::size_t rowCount = table.rowCount();
    RowIndex rows;
    if (needle.empty()) {
        rows.resize(rowCount);
        std::iota(rows.begin(), rows.end(), 0u);
        return rows;
    }
    std::string lowerNeedle = needle;
    std::transform(lowerNeedle.begin(), lowerNeedle.end(), lowerNeedle.begin(), lowerAscii);
    std::vector<char> matched(rowCount, 0);
    std::vector<std::size_t> columns;
    if (column >= 0)
        columns.push_back(std::size_t(column));
    else
        for (std::size_t c = 0; c < table.columnCount(); ++c)
            columns.push_back(c);

    std::string stage = "Filtering for \"";
    stage.append(needle).append("\"");
    control.progress(0.0, stage);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const data::Column& data = table.column(columns[i]);
        if (data.isCategorical()) {
            std::vector<char> levelMatches(data.levels().size());
            for (std::size_t level = 0; level < levelMatches.size(); ++level)
                levelMatches[level] = containsIgnoringCase(data.levels()[level], lowerNeedle);
            const auto& codes = data.codes();
            for (std::size_t row = 0; row < rowCount; ++row)
                if (codes[row] >= 0 && levelMatches[std::size_t(codes[row])])
                    matched[row] = 1;
        } else {
            const bool plainNumbers = data.kind() == data::ColumnKind::Numeric || data.kind() == data::ColumnKind::Integer;
            if (plainNumbers && !couldMatchNumberText(lowerNeedle))
                continue;
            const auto& values = data.values();
            for (std::size_t row = 0; row < rowCount; ++row) {
                if (matched[row] || std::isnan(values[row]))
                    continue;
                if (containsIgnoringCase(data.textAt(row), lowerNeedle))
                    matched[row] = 1;
                if ((row & 0xffff) == 0xffff)
                    control.progress((double(i) + double(row) / double(rowCount)) / double(columns.size()));
            }
        }
        control.progress(double(i + 1) / double(columns.size()));
    }
    rows.reserve(std::size_t(std::count(matched.begin(), matched.end(), 1)));
    for (std::size_t row = 0; row < rowCount; ++row)
        if (matched[row])
            rows.push_back(std::uint32_t(row));
    return rows;
}

} // namespace stepwise::ui
