package dev.stagecoach.scheduler.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code stagecoach.cluster.host-name}, this machine's host name, from which the
 * defaults of the instance id and the advertised address are built in application.properties.
 * Its ordinal is below every file and variable, so any of them can set the name instead.
 */
public final class ClusterHostName implements ConfigSource {

    static final String KEY = "stagecoach.cluster.host-name";
    private final Map<String, String> values = Map.of(KEY, hostName());

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "stagecoach-host-name";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A machine whose own name does not resolve can still run one instance; several need
            // stagecoach.cluster.advertised-address set anyway.
            return "localhost";
        }
    }
}
