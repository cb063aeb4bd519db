package org.wrenmq.broker.standalone;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wrenmq.broker.auth.PasswordFileWriter;

/**
 * {@code wrenmq passwd}: manages a password file with mosquitto_passwd's flags and output, so a deployment needs
 * no mosquitto tool.
 *
 * <pre>
 * wrenmq passwd [-c | -D] FILE USER          prompts twice for the password on the terminal (or reads two
 *                                            lines from standard input when there is no terminal)
 * wrenmq passwd [-c] -b FILE USER PASSWORD   password on the command line (visible in ps and shell history)
 * wrenmq passwd -U FILE                      hashes a file of plain user:password lines
 * </pre>
 *
 * Exit status 0 on success, 1 on any error (as mosquitto_passwd), with one line {@code wrenmq passwd: ...}.
 */
public final class PasswdCommand {

    private final PasswordFileWriter writer;
    private final PrintStream out;
    private final PasswordSource passwords;

    /** Where a password comes from when it is not on the command line. */
    interface PasswordSource {
        /** @return the line read, null at end of input */
        String read(String prompt) throws IOException;
    }

    PasswdCommand(PasswordFileWriter writer, PrintStream out, PasswordSource passwords) {
        this.writer = writer;
        this.out = out;
        this.passwords = passwords;
    }

    public static void main(String[] args) {
        PasswdCommand command = new PasswdCommand(new PasswordFileWriter(), System.err, terminalOrStdin());
        System.exit(command.run(args));
    }

    /** Runs the command; returns the exit status. */
    int run(String[] args) {
        boolean create = false;
        boolean batch = false;
        boolean delete = false;
        boolean upgrade = false;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-c" -> create = true;
                case "-b" -> batch = true;
                case "-D" -> delete = true;
                case "-U" -> upgrade = true;
                case "-H" -> {
                    // mosquitto's hash choice: only its default (and WrenMQ's only output) is accepted
                    if (i + 1 >= args.length || !args[++i].equals("sha512-pbkdf2")) {
                        return usage("-H: only sha512-pbkdf2 is written");
                    }
                }
                case "-h", "--help" -> {
                    out.println(usage());
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-") && args[i].length() > 1) {
                        return usage("unknown option " + args[i]);
                    }
                    operands.add(args[i]);
                }
            }
        }
        if ((create && delete) || (upgrade && (create || delete || batch))) {
            return usage("-U, -c and -D cannot be combined (only -c with -b)");
        }
        int expected = upgrade ? 1 : delete ? 2 : batch ? 3 : 2;
        if (operands.size() != expected) {
            return usage("expected " + String.join(" ", upgrade ? List.of("FILE")
                    : batch ? List.of("FILE", "USER", "PASSWORD") : List.of("FILE", "USER")));
        }
        Path file = Path.of(operands.get(0));
        try {
            if (upgrade) {
                writer.upgrade(file);
                return 0;
            }
            String user = operands.get(1);
            PasswordFileWriter.requireValidUser(user);
            if (delete) {
                if (!writer.delete(file, user)) {
                    return fail("user " + user + " not found in " + file);
                }
                return 0;
            }
            if (!create && !Files.exists(file)) {
                return fail(file + " does not exist (use -c to create it)");
            }
            String password = batch ? operands.get(2) : prompt();
            if (password == null) {
                return 1;
            }
            if (create) {
                writer.create(file, user, password);
            } else {
                writer.set(file, user, password);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        } catch (NoSuchFileException e) {
            return fail(file + " does not exist" + (upgrade || delete ? "" : " (use -c to create it)"));
        } catch (IOException e) {
            return fail(file + ": " + e);
        }
    }

    /** Asks twice, as mosquitto_passwd does; null (after saying why) when empty or the two differ. */
    private String prompt() throws IOException {
        String first = passwords.read("Password: ");
        if (first == null || first.isEmpty()) {
            fail("empty password");
            return null;
        }
        String second = passwords.read("Reenter password: ");
        if (!first.equals(second)) {
            fail("passwords do not match");
            return null;
        }
        return first;
    }

    private int fail(String message) {
        out.println("wrenmq passwd: " + message);
        return 1;
    }

    private int usage(String problem) {
        fail(problem);
        out.println(usage());
        return 1;
    }

    private static String usage() {
        return "usage: wrenmq passwd [-c | -D] FILE USER\n"
                + "       wrenmq passwd [-c] -b FILE USER PASSWORD\n"
                + "       wrenmq passwd -U FILE\n"
                + "  -b  batch mode: the password is on the command line\n"
                + "  -c  create a new password file (replaces an existing one)\n"
                + "  -D  delete the user\n"
                + "  -U  hash the plain user:password lines of a file\n"
                + "Writes mosquitto 2's format (PBKDF2-SHA512, 101 iterations): mosquitto reads the file too.";
    }

    /** The terminal without echo when there is one; else lines from standard input (scripts, pipes). */
    private static PasswordSource terminalOrStdin() {
        Console console = System.console();
        if (console != null) {
            return prompt -> {
                char[] line = console.readPassword("%s", prompt);
                return line == null ? null : new String(line);
            };
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return prompt -> stdin.readLine();
    }
}
