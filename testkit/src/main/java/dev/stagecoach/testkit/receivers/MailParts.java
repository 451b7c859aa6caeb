package dev.stagecoach.testkit.receivers;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;

/** Reads a received mail as a person's mail program shows it: the plain or the HTML alternative. */
public final class MailParts {

    private MailParts() {
    }

    /** @return the text of the first part of {@code type} (e.g. {@code text/plain}), searching nested multiparts; null if none */
    public static String text(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return String.valueOf(part.getContent());
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = text(multipart.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
