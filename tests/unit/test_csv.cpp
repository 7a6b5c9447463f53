#include "core/io/csv.hpp"
#include "core/import/import.hpp"

#include <doctest/doctest.h>

using namespace terrane;

TEST_CASE("csv reader handles quotes, doubled quotes, embedded newlines and CRLF") {
    const auto rows = parseCsv("a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,\"multi\nline\",z\n\n3,,\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1][1] == "x, y");
    CHECK(rows[1][2] == "he said \"hi\"");
    CHECK(rows[2][1] == "multi\nline");
    CHECK(rows[3].size() == 3);
    CHECK(rows[3][2].empty());
}

TEST_CASE("csv reader reports lines and unterminated quotes") {
    CsvReader r("h1,h2\n\"a\nb\",c\nd,\"open", ',');
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.line == 1);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 2);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 4);
    CHECK(rec.unterminatedQuote);
}

TEST_CASE("delimiter detection picks the consistent separator") {
    CHECK(detectDelimiter("a;b;c\n1;2,5;3\n4;5;6\n") == ';');
    CHECK(detectDelimiter("a\tb\tc\n1\t2\t3\n") == '\t');
    CHECK(detectDelimiter("a,b|c\n1,2|3\n4,5|6\n") == ',');
    CHECK(detectDelimiter("a|b|c\n1|2|3\n") == '|');
}

TEST_CASE("csv writer quotes only when needed and round-trips") {
    std::string out;
    CsvWriter w(out);
    w.field("plain").field("with,comma").field("with \"quote\"").field("line\nbreak").field(" padded");
    w.endRow();
    CHECK(out == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\",\" padded\"\n");
    const auto rows = parseCsv(out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][3] == "line\nbreak");
    CHECK(rows[0][4] == " padded");
}

TEST_CASE("import types canonical columns and rejects bad rows with reasons") {
    const std::string csv = "\xEF\xBB\xBF" "account_id,name,potential,employees,locked,extra\n"
                            "A1,Acme,\"$1,000.00\",12,true,x\n"
                            "A2,Beta,oops,5,false,y\n"
                            ",NoId,10,1,false,z\n"
                            "A4,Delta,20.5,3,no,w\n";
    ImportOptions opt;
    opt.kind = DatasetKind::Accounts;
    opt.fileName = "acc.csv";
    ImportResult r = importCsv(csv, opt, nullptr);
    REQUIRE(r.ok);
    CHECK(r.report.encoding == "utf-8-bom");
    CHECK(r.report.rowsRead == 4);
    CHECK(r.report.rowsAccepted == 2);
    CHECK(r.report.rowsRejected == 2);
    REQUIRE(r.report.rejects.size() == 2);
    CHECK(r.report.rejects[0].line == 3);
    CHECK(r.report.rejects[0].column == "potential");
    CHECK(r.report.rejects[0].raw == "oops");
    CHECK(r.report.rejects[1].column == "account_id");
    CHECK(r.table.rows() == 2);
    CHECK(r.table.find("potential")->i64()[0] == 100000);
    CHECK(r.table.find("potential")->i64()[1] == 2050);
    CHECK(r.table.find("extra") != nullptr);
    CHECK(r.table.rowOf("A4").value() == 1);
    const std::string rej = rejectsToCsv(r.report);
    CHECK(rej.find("_reason") != std::string::npos);
    CHECK(rej.find("oops") != std::string::npos);
}

TEST_CASE("import fails cleanly on unreadable input") {
    ImportOptions opt;
    opt.fileName = "empty.csv";
    CHECK_FALSE(importCsv("", opt, nullptr).ok);
    ImportResult r = importCsv("city,state\nx,y\n", opt, nullptr);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("account_id") != std::string::npos);
}

TEST_CASE("many quoted fields with doubled quotes in one record keep their text (fuzzer find)") {
    std::string line;
    std::vector<std::string> want;
    for (int i = 0; i < 40; ++i) {
        line += (i ? "," : "") + std::string("\"v") + std::to_string(i) + " \"\"q\"\"\"";
        want.push_back("v" + std::to_string(i) + " \"q\"");
    }
    const auto rows = parseCsv(line + "\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == want);
}
