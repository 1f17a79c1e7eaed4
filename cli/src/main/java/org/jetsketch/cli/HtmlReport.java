package org.jetsketch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jetsketch.io.AtomicFiles;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * One self-contained HTML page for a command's results (demo, validate): headings, paragraphs,
 * the command that produced it, tables, warnings and the plots inlined as data URIs, so the page
 * can be mailed or archived alone. Built as a jsoup document tree: every text is escaped by the
 * library. Written through {@link AtomicFiles} like every other output.
 */
final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.25em .6em}"
            + "td.n{text-align:right;font-family:monospace}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
            + ".warning{background:#fff3cd;border-left:4px solid #e0a800;padding:.4em .8em}img{max-width:100%}";

    private final Document doc;
    private final Element body;

    HtmlReport(String title) {
        doc = Document.createShell("");
        doc.title(title);
        doc.head().prependElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("style").appendText(STYLE);
        body = doc.body();
        body.appendElement("h1").text(title);
    }

    HtmlReport heading(String text) {
        body.appendElement("h2").text(text);
        return this;
    }

    HtmlReport paragraph(String text) {
        body.appendElement("p").text(text);
        return this;
    }

    /** The command line that produced the page, verbatim. */
    HtmlReport command(String commandLine) {
        body.appendElement("pre").addClass("command").text(commandLine);
        return this;
    }

    HtmlReport warning(String text) {
        body.appendElement("p").addClass("warning").text(text);
        return this;
    }

    /** A table; a cell that is a {@link Number} is formatted to 6 significant digits and right-aligned. */
    HtmlReport table(List<String> header, List<List<Object>> rows) {
        Element table = body.appendElement("table");
        Element tr = table.appendElement("thead").appendElement("tr");
        for (String h : header) tr.appendElement("th").text(h);
        Element tbody = table.appendElement("tbody");
        for (List<Object> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, the header " + header.size());
            }
            Element r = tbody.appendElement("tr");
            for (Object cell : row) {
                Element td = r.appendElement("td");
                if (cell instanceof Double d) {
                    td.addClass("n").text(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.6g", d) : "n/a");
                } else if (cell instanceof Number x) {
                    td.addClass("n").text(x.toString());
                } else {
                    td.text(cell == null ? "" : cell.toString());
                }
            }
        }
        return this;
    }

    /** The PNG at {@code png}, inlined (the page stays valid when the file moves or is deleted). */
    HtmlReport image(Path png, String alt) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        body.appendElement("img").attr("alt", alt).attr("src", "data:image/png;base64," + data);
        return this;
    }

    String html() {
        return doc.outerHtml();
    }

    void write(Path file) throws IOException {
        byte[] bytes = html().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeBytes(file, bytes);
    }
}
