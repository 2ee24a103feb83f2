package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides, before it runs, whether a tool call may run. The mission asks it about every call of every agent (built-in
 * and added tools alike) on the agent's own thread, so it may block, for instance to ask a person and wait for the
 * answer; a cancelled mission interrupts that thread. A refused call is not run: the model gets {@link
 * Decision.Refuse#message()} as the call's error result, and listeners get a {@link MissionEvent.AgentNote} from the
 * role {@code "tool-policy"} saying what was refused.
 *
 * <pre>{@code
 * Mission.builder()...
 *     .toolPolicy(ToolPolicy.denyCommands("git push", "rm -rf"))
 * }</pre>
 */
@FunctionalInterface
public interface ToolPolicy {

    /** Allows every call: the default. */
    ToolPolicy ALLOW_ALL = call -> Decision.ALLOW;

    /**
     * What to do with {@code call}.
     *
     * @param call the call about to run
     * @return {@link Decision#ALLOW}, or a {@link Decision.Refuse} whose message tells the model what to do instead
     */
    Decision decide(Request call);

    /**
     * A tool call about to run.
     *
     * @param role the role of the agent making it, such as {@code worker}
     * @param taskId the task making it, such as {@code todo-3#1}
     * @param tool the tool's name, such as {@code run_command}
     * @param arguments the arguments as the model sent them (JSON)
     */
    record Request(String role, String taskId, String tool, String arguments) {
        /** Checks the fields are present. */
        public Request {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** Allow or refuse. */
    sealed interface Decision {

        /** The call runs. */
        Decision ALLOW = new Allow();

        /** The call runs. */
        record Allow() implements Decision {
        }

        /**
         * The call does not run.
         *
         * @param message what the model is told, which should say what to do instead
         */
        record Refuse(String message) implements Decision {
            /** Checks the message is present. */
            public Refuse {
                Objects.requireNonNull(message, "message");
            }
        }

        /**
         * Refuses with {@code message} for the model.
         *
         * @param message what the model is told
         * @return the refusal
         */
        static Decision refuse(String message) {
            return new Refuse(message);
        }
    }

    /**
     * Refuses every tool that changes something (writing or editing files, running commands, and every tool not
     * built in), for missions that should only look.
     *
     * @return the policy
     */
    static ToolPolicy readOnly() {
        List<String> readers = List.of("read_file", "list_files", "search");
        return call -> readers.contains(call.tool()) ? Decision.ALLOW : Decision.refuse("this mission is read-only: '"
                + call.tool() + "' is not allowed; use read_file, list_files and search, and report what you found");
    }

    /**
     * Refuses {@code run_command} calls whose command starts with one of {@code prefixes} (after spaces).
     *
     * @param prefixes the refused commands' beginnings, such as {@code "git push"}
     * @return the policy
     */
    static ToolPolicy denyCommands(String... prefixes) {
        List<String> denied = List.of(prefixes);
        return commands(command -> denied.stream().noneMatch(command::startsWith), "is not allowed in this mission");
    }

    /**
     * Allows only {@code run_command} calls whose command starts with one of {@code prefixes} (after spaces).
     *
     * @param prefixes the allowed commands' beginnings, such as {@code "mvn "}
     * @return the policy
     */
    static ToolPolicy allowCommands(String... prefixes) {
        List<String> allowed = List.of(prefixes);
        return commands(command -> allowed.stream().anyMatch(command::startsWith),
                "is not allowed in this mission, which allows only commands starting with " + allowed);
    }

    /**
     * Asks {@code person} about every call {@code which} selects and allows the rest; {@code person} answers
     * whether the call may run, blocking as long as it needs.
     *
     * @param which the calls to ask about
     * @param person answers true to let the call run
     * @return the policy
     */
    static ToolPolicy ask(Predicate<Request> which, Predicate<Request> person) {
        return call -> !which.test(call) || person.test(call) ? Decision.ALLOW
                : Decision.refuse("a person refused this call of '" + call.tool() + "': do it another way, or finish "
                        + "and say what you could not do");
    }

    /**
     * This policy, then {@code next} for the calls this one allows.
     *
     * @param next the policy asked second
     * @return the combined policy
     */
    default ToolPolicy andThen(ToolPolicy next) {
        return call -> decide(call) instanceof Decision.Refuse refuse ? refuse : next.decide(call);
    }

    private static ToolPolicy commands(Predicate<String> allowed, String refusal) {
        return call -> {
            if (!call.tool().equals("run_command")) {
                return Decision.ALLOW;
            }
            String command = commandOf(call.arguments()).strip();
            return allowed.test(command) ? Decision.ALLOW
                    : Decision.refuse("the command '" + command + "' " + refusal + ": do it another way");
        };
    }

    /**
     * The {@code command} argument of a run_command call, read without a JSON library (the API has no
     * dependencies): the first string value after {@code "command"}, with JSON escapes undone.
     */
    private static String commandOf(String arguments) {
        int key = arguments.indexOf("\"command\"");
        int quote = key < 0 ? -1 : arguments.indexOf('"', arguments.indexOf(':', key) + 1);
        if (quote < 0) {
            return arguments;
        }
        StringBuilder command = new StringBuilder();
        for (int i = quote + 1; i < arguments.length() && arguments.charAt(i) != '"'; i++) {
            char c = arguments.charAt(i);
            if (c == '\\' && i + 1 < arguments.length()) {
                char escaped = arguments.charAt(++i);
                switch (escaped) {
                    case 'n' -> command.append('\n');
                    case 't' -> command.append('\t');
                    case 'u' -> {
                        command.append((char) Integer.parseInt(arguments.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> command.append(escaped);
                }
            } else {
                command.append(c);
            }
        }
        return command.toString();
    }
}
