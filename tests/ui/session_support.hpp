#pragma once
// What GUI tests share: stopping a test when a helper's check failed, and loading a
// built-in dataset into a session.

#include <QString>
#include <QtTest>

#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"

// A helper's QCOMPARE returns from the helper only; stop the test there too.
#define CHECKED(call)                                                                                                  \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

namespace stepwise::test {

/// Sets `objective` and loads the built-in dataset `name`; true once its table is there.
inline bool loadBuiltin(ui::Session& session, const char* name, const QString& objective)
{
    session.setObjective(objective);
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = name;
    const auto before = session.table();
    session.loadData(source);
    // dataChanged also fires when the load starts; wait for the new table itself.
    return QTest::qWaitFor([&] { return !session.isLoading() && session.table() && session.table() != before; },
                           30000);
}

} // namespace stepwise::test
