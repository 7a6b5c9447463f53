// Every file that has `[SECTION]` markers opens with an index that lists exactly those sections,
// in the same order (names compared by their first word), so an index stays true to its file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
struct Sections {
    std::vector<std::string> index, markers;
};

// "//  [SECTION] name  text" (two or more spaces: an index entry) or "// [SECTION] name" (one
// space: a marker); also with '#' for CMake and shell files.
Sections sectionsOf(const fs::path& file) {
    Sections s;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::size_t i = line.find_first_not_of(" \t");
        if (i == std::string::npos) continue;
        std::size_t lead = 0;
        if (line.compare(i, 2, "//") == 0) lead = 2;
        else if (line[i] == '#') lead = 1;
        else continue;
        i += lead;
        const std::size_t text = line.find_first_not_of(' ', i);
        if (text == std::string::npos) continue;
        const std::size_t spaces = text - i;
        static const std::string tag = "[SECTION]";
        if (spaces == 0 || line.compare(i + spaces, tag.size(), tag) != 0) continue;
        std::size_t n = line.find_first_not_of(' ', i + spaces + tag.size());
        if (n == std::string::npos) continue;
        std::string name = line.substr(n, line.find(' ', n) == std::string::npos ? std::string::npos : line.find(' ', n) - n);
        if (!name.empty() && name.back() == ':') name.pop_back();
        (spaces == 1 ? s.markers : s.index).push_back(name);
    }
    return s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out.empty() ? "(none)" : out;
}
} // namespace

TEST_CASE("every [SECTION] index matches the sections of its file") {
    const fs::path root = TERRANE_SOURCE_DIR;
    std::vector<fs::path> files{root / "CMakeLists.txt"};
    for (const char* dir : {"src", "tests/unit", "scripts"})
        for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
            const std::string ext = e.path().extension().string();
            if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp" || ext == ".sh")) files.push_back(e.path());
        }
    REQUIRE(files.size() > 100);
    std::size_t withSections = 0;
    for (const fs::path& f : files) {
        if (f.filename() == "test_sections.cpp") continue; // its comments quote the syntax
        const Sections s = sectionsOf(f);
        if (s.index.empty() && s.markers.empty()) continue;
        ++withSections;
        INFO(fs::relative(f, root).string() << ": index " << joined(s.index) << "; sections " << joined(s.markers));
        CHECK(s.index == s.markers);
    }
    CHECK(withSections >= 30);
}
