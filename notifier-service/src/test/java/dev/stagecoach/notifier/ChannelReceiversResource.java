package dev.stagecoach.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.stagecoach.testkit.receivers.FakePagerDuty;
import dev.stagecoach.testkit.receivers.FakeSlack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Real receivers for every channel, started before the notifier so that its configuration
 * points at them: an SMTP server (GreenMail) and HTTP servers that act as Slack and PagerDuty.
 */
public class ChannelReceiversResource implements QuarkusTestResourceLifecycleManager {

    static final String FROM = "stagecoach@example.com";

    static GreenMail smtp;
    static FakeSlack slack;
    static FakePagerDuty pagerDuty;

    @Override
    public Map<String, String> start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        slack = new FakeSlack(Map.of("deployments", "C0DEPLOYS01"));
        pagerDuty = new FakePagerDuty();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(smtp.getSmtp().getPort()),
                "quarkus.mailer.from", FROM,
                "stagecoach.notifier.slack.token", FakeSlack.TOKEN,
                "stagecoach.notifier.slack.api-url", slack.apiUrl(),
                "stagecoach.notifier.pagerduty.events-url", pagerDuty.eventsUrl(),
                "stagecoach.notifier.pagerduty.routing-key", FakePagerDuty.ROUTING_KEY,
                "stagecoach.public-url", "https://stagecoach.example.com");
    }

    @Override
    public void stop() {
        smtp.stop();
        slack.close();
        pagerDuty.close();
    }
}
