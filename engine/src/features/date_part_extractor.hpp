#pragma once
// Date parts of datetime columns (stored as seconds since 1970-01-01 UTC), as pandas'
// .dt accessors: year, month, day, dayofweek (Monday = 0), hour, quarter, and
// days_since — whole days from a start date, (date − start).dt.days with the start at
// midnight. Each column is replaced, at its position, by numeric columns "<col>_<part>"
// (optionally after the original column as plain numbers); a missing date gives missing
// parts.

#include <optional>
#include <string>
#include <vector>

#include <boost/serialization/access.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <boost/serialization/version.hpp>

#include "stepwise/prep/transformer.hpp"

namespace stepwise::features {

/// One part a date can be split into.
enum class DatePart { Year, Month, Day, DayOfWeek, Hour, Quarter, DaysSince };

/// The parts named in `text` (comma-separated: year, month, day, dayofweek, hour,
/// quarter, days_since); throws `InvalidParameter` for an empty list, an unknown name or
/// a repeated one.
std::vector<DatePart> datePartsFromText(const std::string& text);
/// The day number (days since 1970-01-01) of `text` in the form YYYY-MM-DD, or nothing
/// for an empty `text`; throws `InvalidParameter` for anything else.
std::optional<long long> sinceDayFromText(const std::string& text);

/// Replaces each datetime training column by its parts.
class DatePartExtractor final : public prep::Transformer {
public:
    /// `columns` are the ones to split (empty: every datetime column); `sinceDay` is the
    /// start of days_since (nothing: the earliest training date); `keep` keeps the
    /// original column, as numbers, before its parts.
    explicit DatePartExtractor(std::vector<DatePart> parts = {}, std::optional<long long> sinceDay = std::nullopt,
                               bool keep = false, std::vector<std::string> columns = {});

    std::string kind() const override { return "date_part_extractor"; }
    std::string describe() const override;
    void fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control) override;
    data::Table transform(const data::Table& table) const override;
    bool isFitted() const override { return m_fitted; }
    void save(core::OutputArchive& archive) const override;
    void load(core::InputArchive& archive) override;

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& archive, unsigned /*version*/)
    {
        archive & m_parts & m_givenSince & m_configuredSince & m_keep & m_names & m_sinceDays & m_fitted;
    }

    std::vector<int> m_parts;  ///< DatePart values, in output order
    bool m_givenSince = false;
    long long m_configuredSince = 0;  ///< the given start day (when m_givenSince)
    bool m_keep = false;
    std::vector<std::string> m_names;
    std::vector<long long> m_sinceDays;  ///< per column: the start day of days_since
    bool m_fitted = false;
    std::vector<std::string> m_requested;  ///< configuration, not saved
};

} // namespace stepwise::features

BOOST_CLASS_VERSION(stepwise::features::DatePartExtractor, 1)
