#include "tests/integration/stock_tools.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/harness.h"

namespace rekam::test {

void expect_stock_tools_accept(const std::filesystem::path& package, const pkg::Manifest& manifest,
                               const std::filesystem::path& ca,
                               const std::filesystem::path& scratch) {
    std::filesystem::create_directories(scratch);
    ASSERT_EQ(run("tar -C " + scratch.string() + " -xf " + package.string()), 0);
    std::string out;
    EXPECT_EQ(run("openssl cms -verify -binary -inform DER -in " +
                      (scratch / "manifest.json.p7s").string() + " -content " +
                      (scratch / "manifest.json").string() + " -CAfile " + ca.string() +
                      " -out /dev/null",
                  &out),
              0)
        << out;
    std::ofstream sums(scratch / "SHA256SUMS");
    for (const auto& s : manifest.samples) sums << s.sha256 << "  " << s.file << "\n";
    if (manifest.card)
        for (const auto& p : manifest.card->parts)
            if (!p.file.empty()) sums << p.sha256 << "  " << p.file << "\n";
    sums.close();
    EXPECT_EQ(run("cd " + scratch.string() + " && sha256sum --quiet -c SHA256SUMS", &out), 0)
        << out;
}

}  // namespace rekam::test
