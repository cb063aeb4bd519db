package org.wrenmq.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page of {@code docs/} as a user reads it: the code blocks of one section, so that a test runs what the page
 * prints rather than its own copy of it (a changed page changes what the test does, or fails it).
 */
public final class DocPage {

    /** A fenced code block: the language its opening fence names (may be empty) and its text. */
    public record Block(String language, String text) {
    }

    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");

    private final Path file;
    private final List<String> lines;

    private DocPage(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** A page under the docs directory the build names in {@code wrenmq.docs}. */
    public static DocPage read(String relativePath) {
        Path file = Path.of(System.getProperty("wrenmq.docs", "../../docs")).resolve(relativePath);
        try {
            return new DocPage(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code blocks between the heading that starts with {@code heading} and the next heading of any level. */
    public List<Block> codeBlocks(String heading) {
        int start = lines.stream().filter(l -> l.startsWith(heading)).findFirst().map(lines::indexOf)
                .orElseThrow(() -> new AssertionError(file + " has no heading " + heading));
        List<Block> blocks = new ArrayList<>();
        String language = null;
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (language == null && line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("```")) {
                if (language != null) {
                    text.append(line).append('\n');
                }
            } else if (language == null) {
                language = line.substring(3).trim();
            } else {
                blocks.add(new Block(language, text.toString()));
                language = null;
                text.setLength(0);
            }
        }
        return blocks;
    }

    /** The one code block of a section in this language ({@code sh}, {@code xml}). */
    public String codeBlock(String heading, String language) {
        List<String> found = codeBlocks(heading).stream().filter(b -> b.language().equals(language))
                .map(Block::text).toList();
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one " + language + " block under \"" + heading
                    + "\", found " + found.size());
        }
        return found.get(0);
    }

    /** The one code block of a section that has a line starting with {@code marker}. */
    public String codeBlockWith(String heading, String marker) {
        List<String> found = codeBlocks(heading).stream().map(Block::text)
                .filter(text -> text.lines().anyMatch(line -> line.startsWith(marker))).toList();
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one block with a line starting \"" + marker + "\" under \""
                    + heading + "\", found " + found.size());
        }
        return found.get(0);
    }

    /** The one {@code `inline code`} of a section's text (outside its code blocks) that starts with {@code prefix}. */
    public String inlineCode(String heading, String prefix) {
        StringBuilder prose = new StringBuilder();
        boolean inBlock = false;
        for (String line : section(heading)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (!inBlock) {
                prose.append(line).append('\n');
            }
        }
        List<String> found = new ArrayList<>();
        Matcher code = INLINE_CODE.matcher(prose);
        while (code.find()) {
            String text = code.group(1).replace('\n', ' '); // a span broken over two lines reads as one
            if (text.startsWith(prefix)) {
                found.add(text);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one `" + prefix + "...` under \"" + heading + "\", found "
                    + found);
        }
        return found.get(0);
    }

    /** The lines after the heading that starts with {@code heading}, up to the next heading outside a code block. */
    private List<String> section(String heading) {
        int start = lines.stream().filter(l -> l.startsWith(heading)).findFirst().map(lines::indexOf)
                .orElseThrow(() -> new AssertionError(file + " has no heading " + heading));
        List<String> section = new ArrayList<>();
        boolean inBlock = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!inBlock && line.startsWith("#")) {
                break;
            }
            inBlock ^= line.startsWith("```");
            section.add(line);
        }
        return section;
    }

    public Path file() {
        return file;
    }
}
