// App: location fixes. Accounts that could not be placed, or whose postcode disagrees with their
// state or town, get a suggested value (core/geo/geocode.hpp); applying one rewrites the field
// and places the accounts again. Each fix is a data edit that undo and redo take in turn with
// the plan edits of the active scenario.
//
// Index
//  [SECTION] fixes   the suggestions, cached per datasets version; applying one
//  [SECTION] undo    which edit undo and redo take next, and stepping a fix back or forth
#include "app/app.hpp"

#include "core/base/format.hpp"

namespace terrane {

// [SECTION] fixes
const std::vector<LocationFix>& App::locationFixes() {
    if (m_locations.fixesVersion != m_datasetsVersion) {
        m_locations.fixes = terrane::locationFixes(m_ws.accounts());
        m_locations.fixesVersion = m_datasetsVersion;
    }
    return m_locations.fixes;
}

void App::applyLocationFix(std::size_t index) {
    const std::vector<LocationFix>& fixes = locationFixes();
    if (index >= fixes.size()) return;
    const LocationFix fix = fixes[index];
    LocationEdits::Entry e;
    try {
        e.edit = terrane::applyLocationFix(m_ws.accounts(), fix);
    } catch (const std::exception& ex) {
        notify(std::string("Not changed: ") + ex.what());
        return;
    }
    const GeoSuggestion& c = fix.change;
    e.description = "Set " + c.field + " '" + c.from + "' to '" + c.to + "' (" + c.reason + ") for " +
                    fmt::countOf(fix.rows.size(), "account", "accounts");
    e.cursor = m_ws.active().cursor;
    // A fix made while the datasets differ from the stacks' top starts the history afresh.
    if (!m_locations.undo.empty() && m_locations.undo.back().version != m_datasetsVersion) m_locations.undo.clear();
    m_locations.redo.clear();
    ++m_datasetsVersion;
    e.version = m_datasetsVersion;
    m_ws.dataEdits.push_back({DatasetKind::Accounts, e.description, fix.rows.size()});
    notify(e.description);
    m_locations.undo.push_back(std::move(e));
    workspaceChanged();
    runHygiene();
}

// [SECTION] undo
bool App::locationEditFirst(bool redo) const {
    const auto& stack = redo ? m_locations.redo : m_locations.undo;
    if (stack.empty() || stack.back().version != m_datasetsVersion) return false;
    const Scenario& sc = m_ws.active();
    // Undo: the fix unless plan edits made after it are in effect. Redo: the fix once the plan
    // edits made before it are back.
    if (redo) return !sc.canRedo() || sc.cursor >= stack.back().cursor;
    return !sc.canUndo() || sc.cursor <= stack.back().cursor;
}

void App::stepLocationEdit(bool redo) {
    auto& from = redo ? m_locations.redo : m_locations.undo;
    auto& to = redo ? m_locations.undo : m_locations.redo;
    LocationEdits::Entry e = std::move(from.back());
    from.pop_back();
    if (redo) {
        // Applied again from the rows' current (restored) values: the same cells, the same points.
        try {
            e.edit = terrane::applyLocationFix(m_ws.accounts(), e.edit.fix);
        } catch (const std::exception& ex) {
            notify(std::string("Not redone: ") + ex.what());
            return;
        }
    } else {
        undoLocationEdit(m_ws.accounts(), e.edit);
    }
    ++m_datasetsVersion;
    // The entries left below stay valid: the datasets are as they had them.
    if (!from.empty()) from.back().version = m_datasetsVersion;
    e.version = m_datasetsVersion;
    m_ws.dataEdits.push_back({DatasetKind::Accounts, std::string(redo ? "Redid: " : "Undid: ") + e.description, e.edit.fix.rows.size()});
    notify(std::string(redo ? "Redid: " : "Undid: ") + e.description);
    to.push_back(std::move(e));
    workspaceChanged();
    runHygiene();
}

bool App::canUndo() const {
    return locationEditFirst(false) || m_ws.active().canUndo();
}

bool App::canRedo() const {
    return locationEditFirst(true) || m_ws.active().canRedo();
}

std::string App::undoDescription() const {
    if (locationEditFirst(false)) return m_locations.undo.back().description;
    const Scenario& sc = m_ws.active();
    return sc.canUndo() ? sc.log[sc.cursor - 1].audit.description : std::string();
}

std::string App::redoDescription() const {
    if (locationEditFirst(true)) return m_locations.redo.back().description;
    const Scenario& sc = m_ws.active();
    return sc.canRedo() ? sc.log[sc.cursor].audit.description : std::string();
}

} // namespace terrane
