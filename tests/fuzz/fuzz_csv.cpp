// libFuzzer target: CSV parsing with options chosen by the first input byte, so the
// sniffer, every delimiter, decimal comma, thousands separators and both encodings
// are reached.
#include <string_view>

#include "fuzz_target.hpp"
#include "stepwise/data/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    if (size == 0)
        return 0;
    const std::uint8_t selector = data[0];
    data::CsvOptions options;
    static constexpr char kDelimiters[] = {0, ',', ';', '\t', '|'};
    options.delimiter = kDelimiters[selector % 5];
    if (selector & 0x08) {
        options.decimal = ',';
        if (options.delimiter == ',')
            options.delimiter = ';';
    }
    if (selector & 0x10)
        options.thousands = options.decimal == ',' ? '.' : ',';
    if (options.thousands == options.delimiter)
        options.thousands = ' ';
    static constexpr data::TextEncoding kEncodings[] = {data::TextEncoding::Auto, data::TextEncoding::Utf8,
                                                        data::TextEncoding::Latin1, data::TextEncoding::Auto};
    options.encoding = kEncodings[(selector >> 5) & 3];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    fuzz::expectCleanOutcome([&] { data::parseCsv(text, "fuzz.csv", options); });
    return 0;
}
