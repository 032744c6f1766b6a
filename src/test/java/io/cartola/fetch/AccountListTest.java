package io.cartola.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class AccountListTest {

    static AccountList read(String text) {
        return AccountList.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "accounts.txt");
    }

    @Test
    void blankLinesCommentsAndSpacesAreIgnored() {
        AccountList list = read("# BTG accounts\n\n  000011887755  \n\t000022334455\n#000033334444\n");
        assertEquals(List.of("000011887755", "000022334455"), list.accounts());
        assertEquals(List.of(), list.problems());
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndSkipped() {
        AccountList list = read("000011887755\n123456789012345678901\n0000 1111\n000011887755\n../etc\n000022334455\n");
        assertEquals(List.of("000011887755", "000022334455"), list.accounts());
        assertEquals(List.of(
                "accounts.txt line 2: at most 20 characters, got 21",
                "accounts.txt line 3: only letters, digits and '-' are allowed",
                "accounts.txt line 4: repeats ****7755 of line 1",
                "accounts.txt line 5: only letters, digits and '-' are allowed"), list.problems());
        assertTrue(list.problems().stream().noneMatch(p -> p.contains("000011887755")), "no full account number in a problem");
    }

    @Test
    void aHundredThousandLinesAreReadAsAStream() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append(String.format("%012d%n", i));
        }
        AccountList list = read(text.toString());
        assertEquals(100_000, list.accounts().size());
        assertEquals("000000099999", list.accounts().get(99_999));
    }

    @Test
    void repeatsAreFoundCompactlyWithoutMistakingLeadingZerosOrOtherShapes() {
        AccountList list = read("000011887755\n11887755\n0011887755\nABC-1\n123456789012345678\n11887755\nabc-1\nABC-1\n"
                + "123456789012345678\n000011887755\n");
        assertEquals(List.of("000011887755", "11887755", "0011887755", "ABC-1", "123456789012345678", "abc-1"), list.accounts());
        assertEquals(List.of(
                "accounts.txt line 6: repeats ****7755 of line 2",
                "accounts.txt line 8: repeats ****BC-1 of line 4",
                "accounts.txt line 9: repeats ****5678 of line 5",
                "accounts.txt line 10: repeats ****7755 of line 1"), list.problems());
    }

    @Test
    void aStreamedListHandsOnEachAccountAndKeepsNone() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append(String.format("%012d%n", i * 7L));
        }
        text.append(String.format("%012d%n", 7 * 54_321L));
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        List<String> problems = AccountList.read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                "accounts.txt", a -> handed.incrementAndGet());
        assertEquals(100_000, handed.get());
        assertEquals(List.of("accounts.txt line 100001: repeats ****0247 of line 54322"), problems);
    }
}
