package org.jetsketch.cli;

import static org.jetsketch.cli.CliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML reports of demo and validate, parsed back: their tables hold the JSON's numbers. */
class HtmlReportTest {

    @TempDir
    static Path dir;

    static Document parse(Path file) throws IOException {
        return Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void textIsEscapedAndRowsMustFitTheHeader() {
        HtmlReport h = new HtmlReport("a <b> & c");
        h.paragraph("<script>alert(1)</script>").table(List.of("x"), List.of(List.of((Object) "<i>")));
        Document d = Jsoup.parse(h.html());
        assertEquals("a <b> & c", d.title());
        assertTrue(d.select("script").isEmpty(), "no markup from text");
        assertEquals("<i>", d.select("td").first().text());
        assertThrows(IllegalArgumentException.class, () -> h.table(List.of("x", "y"), List.of(List.of((Object) 1))));
    }

    @Test
    void demoAndValidateWriteSelfContainedPages() throws IOException {
        Path docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", CliTest.NAMES) + "\n");
        Path demo = dir.resolve("demo");
        ok("demo", "--docs", docs, "--directions", 2, "--degree", 2, "--curve-degree", 3, "--out", demo);
        JsonNode json = Json.MAPPER.readTree(demo.resolve("demo.json").toFile());
        Document page = parse(demo.resolve("demo.html"));
        assertTrue(page.title().startsWith("jetsketch demo"), page.title());
        assertTrue(page.select("pre.command").text().contains("demo --docs"), "the command that produced it");
        Element img = page.select("img").first();
        byte[] png = Base64.getDecoder().decode(img.attr("src").substring("data:image/png;base64,".length()));
        assertEquals(Files.size(demo.resolve("demo.png")), png.length, "the plot inline, whole");
        // the influential names: the same as the JSON's, in order
        Element influential = page.select("table").last();
        JsonNode top = json.get("influential").get("top");
        assertEquals(top.size(), influential.select("tbody tr").size());
        for (int q = 0; q < top.size(); q++) {
            Element row = influential.select("tbody tr").get(q);
            assertEquals(top.get(q).get("name").asText(), row.select("td").get(2).text());
            assertEquals(top.get(q).get("firstOrder").asDouble(), Double.parseDouble(row.select("td").get(3).text()),
                    1e-5 * Math.abs(top.get(q).get("firstOrder").asDouble()));
        }
        assertTrue(page.text().contains("retrained without D (the truth)"));

        Path sketch = demo.resolve("sketches");
        Path out = dir.resolve("validate");
        JsonNode v = ok("validate", "--sketch", sketch, "--letters", "xz", "--out", out, "--json").json();
        Document vp = parse(out.resolve("validate.html"));
        Element summary = vp.select("table").first();
        int rows = 0;
        for (JsonNode method : v.get("comparison")) rows += method.get("summary").size();
        assertEquals(rows, summary.select("tbody tr").size(), "one row per method and degree");
        assertTrue(vp.text().contains("exact first order (reverse)"));
        assertEquals(v.get("cases").size(), vp.select("table").get(1).select("tbody tr").size());
    }
}
