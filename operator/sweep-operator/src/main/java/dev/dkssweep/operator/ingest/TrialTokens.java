package dev.dkssweep.operator.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-trial bearer tokens (docs/design.md, "Trainers push"): HMAC-SHA256 of the trial id under a
 * secret only the operator knows, so a trainer can write its own trial's points and nothing else.
 */
public final class TrialTokens {

  private final byte[] secret;

  public TrialTokens(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the token secret needs at least 16 bytes");
    }
    this.secret = secret.clone();
  }

  /** Tokens under a fresh random secret (local mode: valid for this run's trainers). */
  public static TrialTokens random() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    return new TrialTokens(s);
  }

  public String token(String trialId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(trialId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Checks an {@code Authorization} header value in constant time. */
  public boolean verify(String trialId, String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token(trialId).getBytes(StandardCharsets.UTF_8));
  }
}
