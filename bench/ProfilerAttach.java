import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native JVM agent into a running JVM through the JDK's attach API, with the agent's options: how
 * bench/profile-attach starts and stops async-profiler in a running gateway. Run with the JDK source launcher:
 *
 * <pre>java bench/ProfilerAttach.java PID /path/libasyncProfiler.so "start,event=cpu,interval=1ms"</pre>
 */
public final class ProfilerAttach {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java bench/ProfilerAttach.java PID AGENT_LIBRARY OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
