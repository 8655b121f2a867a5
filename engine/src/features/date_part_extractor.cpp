#include "features/date_part_extractor.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "stepwise/data/column_kinds.hpp"

namespace stepwise::features {
namespace {

const std::string kStep = "date-parts step";
constexpr double kSecondsPerDay = 86400.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<const char*, 7> kPartNames = {"year", "month", "day", "dayofweek", "hour", "quarter",
                                                   "days_since"};

const char* partName(int part) { return kPartNames.at(static_cast<std::size_t>(part)); }

std::string allPartNames()
{
    std::string text;
    for (const char* name : kPartNames) {
        if (!text.empty())
            text.append(", ");
        text.append(name);
    }
    return text;
}

struct CivilDate {
    long long year;
    unsigned month;
    unsigned day;
};

// H. Hinnant's civil_from_days: the proleptic Gregorian date of a day number.
CivilDate civilFromDays(long long days)
{
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const auto dayOfEra = static_cast<unsigned>(days - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned mp = (5 * dayOfYear + 2) / 153;
    const unsigned day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<long long>(yearOfEra) + era * 400 + (month <= 2), month, day};
}

/// The day number of a time, floored, so 1969-12-31 23:59:59 is day −1.
long long dayOf(double seconds) { return static_cast<long long>(std::floor(seconds / kSecondsPerDay)); }

double partOf(DatePart part, double seconds, long long sinceDay)
{
    if (!std::isfinite(seconds))
        return kNaN;
    const long long day = dayOf(seconds);
    switch (part) {
    case DatePart::Year:
        return static_cast<double>(civilFromDays(day).year);
    case DatePart::Month:
        return civilFromDays(day).month;
    case DatePart::Day:
        return civilFromDays(day).day;
    case DatePart::DayOfWeek:
        // 1970-01-01 was a Thursday (3 with Monday = 0).
        return static_cast<double>(((day + 3) % 7 + 7) % 7);
    case DatePart::Hour:
        return std::floor((seconds - static_cast<double>(day) * kSecondsPerDay) / 3600.0);
    case DatePart::Quarter:
        return (civilFromDays(day).month - 1) / 3 + 1;
    case DatePart::DaysSince:
        return static_cast<double>(day - sinceDay);
    }
    return kNaN;
}

} // namespace

std::vector<DatePart> datePartsFromText(const std::string& text)
{
    std::vector<DatePart> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        const auto found = std::find_if(kPartNames.begin(), kPartNames.end(),
                                        [&](const char* known) { return name == known; });
        if (found == kPartNames.end())
            throw core::InvalidParameter("parts '" + text + "': '" + name + "' is not a date part — use " +
                                         allPartNames() + ", comma-separated");
        const auto part = static_cast<DatePart>(found - kPartNames.begin());
        if (std::find(parts.begin(), parts.end(), part) != parts.end())
            throw core::InvalidParameter("parts '" + text + "' names '" + name + "' twice — list each part once");
        parts.push_back(part);
        if (comma == std::string::npos)
            return parts;
        start = comma + 1;
    }
}

std::optional<long long> sinceDayFromText(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    const auto seconds = shaped ? data::parseDatetime(text) : std::nullopt;
    if (!seconds)
        throw core::InvalidParameter("since '" + text + "' is not a date YYYY-MM-DD (e.g. 2020-01-31) — or leave "
                                     "it empty to count from the earliest training date");
    return dayOf(*seconds);
}

DatePartExtractor::DatePartExtractor(std::vector<DatePart> parts, std::optional<long long> sinceDay, bool keep,
                                     std::vector<std::string> columns)
    : m_givenSince(sinceDay.has_value()), m_configuredSince(sinceDay.value_or(0)), m_keep(keep),
      m_requested(std::move(columns))
{
    if (parts.empty())
        parts = {DatePart::Year, DatePart::Month, DatePart::Day, DatePart::DayOfWeek};
    for (DatePart part : parts)
        m_parts.push_back(static_cast<int>(part));
}

std::string DatePartExtractor::describe() const
{
    std::string text = "date parts (";
    for (std::size_t i = 0; i < m_parts.size(); ++i) {
        if (i > 0)
            text.append(", ");
        text.append(partName(m_parts[i]));
    }
    text.append(") of ");
    text.append(m_fitted ? prep::countOf(m_names.size(), "datetime column") : std::string("the datetime columns"));
    if (std::find(m_parts.begin(), m_parts.end(), static_cast<int>(DatePart::DaysSince)) != m_parts.end()) {
        if (m_givenSince || (m_fitted && !m_sinceDays.empty())) {
            const long long since = m_givenSince ? m_configuredSince : m_sinceDays.front();
            text.append(m_givenSince ? ", days counted from " : ", days counted from the earliest training date (");
            text.append(data::formatDatetime(static_cast<double>(since) * kSecondsPerDay));
            if (!m_givenSince)
                text.append(m_sinceDays.size() > 1 ? " for the first column)" : ")");
        } else {
            text.append(", days counted from the earliest training date");
        }
    }
    if (m_keep)
        text.append(", keeping the original as seconds since 1970");
    if (!m_fitted)
        text.append(" (not fitted yet)");
    return text;
}

void DatePartExtractor::fit(const data::Table& train, const prep::TrainingTarget&, core::TaskControl& control)
{
    for (const std::string& name : m_requested) {
        const auto index = train.indexOf(name);
        if (index && train.column(*index).kind() != data::ColumnKind::Datetime)
            throw core::DataError("the date-parts step needs datetime columns, but '" + name + "' is " +
                                  data::toString(train.column(*index).kind()) +
                                  " — change the column's type to datetime when loading the data, or choose "
                                  "another column");
    }
    const std::vector<std::string> names =
        prep::columnsInScope(train, m_requested, prep::ColumnScope::Datetime, kStep);
    if (names.empty())
        throw core::DataError("the date-parts step found no datetime column — change a date column's type to "
                              "datetime when loading the data, or remove the step");
    std::vector<long long> sinceDays;
    for (std::size_t index = 0; index < names.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(names.size()), "fitting the " + kStep);
        const data::Column& column = train.column(names[index]);
        double earliest = std::numeric_limits<double>::infinity();
        for (double value : column.values())
            if (std::isfinite(value))
                earliest = std::min(earliest, value);
        if (!std::isfinite(earliest))
            throw prep::noTrainingValues(column.name());
        for (int part : m_parts) {
            const std::string output = column.name() + "_" + partName(part);
            if (train.hasColumn(output))
                throw core::DataError("the date-parts step would make column '" + output +
                                      "', but there is already a column of that name — rename it first");
        }
        sinceDays.push_back(m_givenSince ? m_configuredSince : dayOf(earliest));
    }
    m_names = names;
    m_sinceDays = std::move(sinceDays);
    m_fitted = true;
    control.progress(1.0);
}

data::Table DatePartExtractor::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    for (const std::string& name : m_names)
        prep::requireFittedColumn(table, name, data::ColumnType::Numeric, kStep);
    data::Table result;
    for (const data::Column& column : table.columns()) {
        const auto fitted = std::find(m_names.begin(), m_names.end(), column.name());
        if (fitted == m_names.end()) {
            result.addColumn(column);
            continue;
        }
        const long long since = m_sinceDays[static_cast<std::size_t>(fitted - m_names.begin())];
        if (m_keep)
            result.addColumn(data::Column::numeric(column.name(), column.values()));
        for (int part : m_parts) {
            std::vector<double> values(column.size());
            for (std::size_t row = 0; row < column.size(); ++row)
                values[row] = partOf(static_cast<DatePart>(part), column.values()[row], since);
            result.addColumn(data::Column::numeric(column.name() + "_" + partName(part), std::move(values)));
        }
    }
    return result;
}

void DatePartExtractor::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void DatePartExtractor::load(core::InputArchive& archive)
{
    DatePartExtractor loaded;
    loaded.m_parts.clear();
    archive >> loaded;
    const bool partsKnown = !loaded.m_parts.empty() && std::all_of(loaded.m_parts.begin(), loaded.m_parts.end(), [](int p) {
        return p >= 0 && p < static_cast<int>(kPartNames.size());
    });
    if (!loaded.m_fitted || !partsKnown || loaded.m_names.size() != loaded.m_sinceDays.size())
        throw prep::corruptArchive(kStep);
    loaded.m_requested = std::move(m_requested);
    *this = std::move(loaded);
}

} // namespace stepwise::features
