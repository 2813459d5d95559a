package org.semisync.proxy.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option is not on the command line, its value comes from the environment ({@code --wait-no-slave} ←
 * {@code SEMISYNC_PROXY_WAIT_NO_SLAVE}) or from the YAML file given with {@code --config} (key
 * {@code wait-no-slave}). Command line beats environment beats file.
 */
final class OptionDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Map<String, Object> yaml;

    private OptionDefaults(final Map<String, String> environment, final Map<String, Object> yaml) {
        this.environment = environment;
        this.yaml = yaml;
    }

    /**
     * Loads the YAML file (if any) and validates its keys against {@code knownKeys}.
     *
     * @throws IllegalArgumentException for an unreadable or malformed file, or an unknown key
     */
    static OptionDefaults load(
            final Map<String, String> environment, final Path yamlFile, final Set<String> knownKeys) {
        if (yamlFile == null) {
            return new OptionDefaults(environment, Map.of());
        }
        final Object parsed;
        try (Reader reader = Files.newBufferedReader(yamlFile)) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + yamlFile + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new IllegalArgumentException(
                    "malformed YAML in " + yamlFile + ": " + e.getMessage().replace('\n', ' '));
        }
        if (parsed == null) {
            return new OptionDefaults(environment, Map.of());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("config file " + yamlFile + " must be a mapping of option: value");
        }
        for (Object key : map.keySet()) {
            if (!knownKeys.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown option '" + key + "' in " + yamlFile + " (known: "
                        + String.join(", ", knownKeys) + ")");
            }
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> typed = (Map<String, Object>) map;
        return new OptionDefaults(environment, typed);
    }

    /** {@code --wait-no-slave} → {@code SEMISYNC_PROXY_WAIT_NO_SLAVE}. */
    static String environmentName(final String longOption) {
        return "SEMISYNC_PROXY_"
                + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(final ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        final String name = option.longestName();
        final String fromEnv = environment.get(environmentName(name));
        if (fromEnv != null) {
            return fromEnv;
        }
        final Object fromYaml = yaml.get(name.replaceFirst("^--", ""));
        if (fromYaml instanceof Boolean b) {
            return b ? "on" : "off";
        }
        return fromYaml == null ? null : String.valueOf(fromYaml);
    }
}
