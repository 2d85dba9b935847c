// The registration book's checkpoints and seal, with a signer the test controls: where the
// checkpoints fall and what they state, books from before checkpoints keep their bytes, a tail
// cut off while stopped is booked once as "seal-broken", a crash's older seal is no alarm.
#include "daemon/book_checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "daemon/registration_book.h"
#include "temp_dir.h"

namespace rekam {
namespace {

// Stands in for the station key: the "signature" is the statement reversed.
std::vector<std::uint8_t> fake_sign(std::span<const std::uint8_t> statement) {
    return {statement.rbegin(), statement.rend()};
}

BookEntry refusal(int i) {
    BookEntry e;
    e.nik = "3273014507900001";
    e.outcome = "refused";
    e.reason = "refusal " + std::to_string(i);
    return e;
}

class BookCheckpointTest : public ::testing::Test {
  protected:
    std::filesystem::path file() const { return dir_.path() / "book.jsonl"; }
    std::unique_ptr<RegistrationBook> open(std::size_t every = 3) {
        auto book = std::make_unique<RegistrationBook>(file());
        book->enable_checkpoints(every, fake_sign);
        return book;
    }
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::ifstream in(file());
        for (std::string l; std::getline(in, l);) out.push_back(l);
        return out;
    }
    void keep_first(std::size_t n) {
        auto all = lines();
        std::ofstream out(file(), std::ios::trunc);
        for (std::size_t i = 0; i < n; ++i) out << all[i] << "\n";
    }
    testing::TempDir dir_;
};

TEST(CheckpointStatement, RoundTripsAndRefusesAnythingElse) {
    const CheckpointStatement s{12, std::string(64, 'a')};
    const std::string text = checkpoint_statement(s);
    EXPECT_EQ(text, "rekam-book-checkpoint/1 entries=12 head=" + std::string(64, 'a'));
    EXPECT_EQ(parse_checkpoint_statement(text), s);
    for (const std::string& bad :
         {std::string(""), "rekam-book-checkpoint/1 entries=012 head=" + std::string(64, 'a'),
          "rekam-book-checkpoint/1 entries=12 head=" + std::string(63, 'a'),
          "rekam-book-checkpoint/1 entries=12 head=" + std::string(64, 'A'),
          "rekam-book-checkpoint/2 entries=12 head=" + std::string(64, 'a'),
          "rekam-book-checkpoint/1 entries=-1 head=" + std::string(64, 'a'), text + " "})
        EXPECT_FALSE(parse_checkpoint_statement(bad)) << bad;
}

TEST(Base64, RoundTripsEveryLengthAndRefusesNonCanonicalText) {
    std::vector<std::uint8_t> bytes;
    for (int n = 0; n < 10; ++n) {
        if (n > 0) {
            EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << n;
        }
        bytes.push_back(static_cast<std::uint8_t>(0xf0 + n));
    }
    EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{'r', 'e', 'k'}), "cmVr");
    for (const char* bad : {"", "cmV", "cm=r", "c!Vr", "cmVr\n"})
        EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST_F(BookCheckpointTest, EveryThirdEntryIsFollowedByASignedStatementOfTheBook) {
    auto book = open(3);
    for (int i = 0; i < 7; ++i) book->append(refusal(i));
    const auto entries = book->read(0, book->size());
    ASSERT_EQ(entries.size(), 9u);  // e e e cp e e e cp e
    for (std::size_t at : {3u, 7u}) {
        const BookEntry& cp = entries[at];
        ASSERT_EQ(cp.outcome, "checkpoint") << at;
        const auto s = parse_checkpoint_statement(cp.reason);
        ASSERT_TRUE(s) << cp.reason;
        EXPECT_EQ(s->entries, at);
        EXPECT_EQ(s->head, entries[at - 1].entry_hash);
        const auto signature = base64_decode(cp.signature);
        ASSERT_TRUE(signature);
        EXPECT_EQ(std::string(signature->rbegin(), signature->rend()), cp.reason);
    }
    EXPECT_TRUE(entries[8].signature.empty());
    EXPECT_EQ(book->verify_chain(), 0u);
    // Lines without a signature have no "signature" key: books from before keep their bytes.
    EXPECT_EQ(lines()[0].find("signature"), std::string::npos);
    EXPECT_NE(lines()[3].find("\"signature\":"), std::string::npos);
}

TEST_F(BookCheckpointTest, ACleanStopSealsAndTheNextStartFindsTheSealIntact) {
    {
        auto book = open();
        for (int i = 0; i < 4; ++i) book->append(refusal(i));
        book->seal();
        EXPECT_EQ(book->read(book->size() - 1, 1)[0].outcome, "checkpoint");
    }
    const std::size_t sealed = lines().size();
    auto book = open();
    EXPECT_EQ(book->size(), sealed) << "no seal-broken entry";
    // A crash after more entries leaves the older seal: the book still holds its line.
    book->append(refusal(9));
    book.reset();
    book = open();
    EXPECT_EQ(book->read(book->size() - 1, 1)[0].outcome, "refused");
}

TEST_F(BookCheckpointTest, ATailCutOffWhileStoppedIsBookedOnce) {
    {
        auto book = open();
        for (int i = 0; i < 5; ++i) book->append(refusal(i));
        book->seal();
    }
    const std::size_t sealed = lines().size();
    keep_first(sealed - 2);
    {
        auto book = open();
        const BookEntry last = book->read(book->size() - 1, 1)[0];
        EXPECT_EQ(last.outcome, "seal-broken");
        EXPECT_NE(last.reason.find("its last 2 line(s) were removed"), std::string::npos)
            << last.reason;
        EXPECT_EQ(book->verify_chain(), 0u);
    }
    const std::size_t after = lines().size();
    auto book = open();  // a crash before the next clean stop: not booked again
    EXPECT_EQ(book->size(), after);
}

TEST_F(BookCheckpointTest, ALostSealBesideACheckpointedBookIsBooked) {
    {
        auto book = open();
        for (int i = 0; i < 4; ++i) book->append(refusal(i));
        book->seal();
        std::filesystem::remove(book->seal_file());
    }
    auto book = open();
    const BookEntry last = book->read(book->size() - 1, 1)[0];
    EXPECT_EQ(last.outcome, "seal-broken");
    EXPECT_NE(last.reason.find("is missing"), std::string::npos) << last.reason;
}

}  // namespace
}  // namespace rekam
