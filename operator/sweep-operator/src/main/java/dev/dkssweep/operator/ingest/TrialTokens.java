package dev.dkssweep.operator.ingest;

import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-attempt bearer tokens (docs/design.md, "Trainers push"): {@code <attempt>.<mac>}, the MAC an
 * HMAC-SHA256 of the trial id and the attempt under a secret only the operator knows, so a trainer
 * can write its own attempt's points and summary and nothing else: not another trial's, and not its
 * trial's next attempt (whose record an old pod could otherwise still write). Once the attempt has
 * ended its record is final, so the token is worth nothing more (the store refuses, 409).
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

  /** The token of one attempt of one trial. */
  public String token(TrialKey key) {
    return key.attempt()
        + "."
        + mac(TrialId.format(key.sweepUid(), key.trialIndex()), key.attempt());
  }

  private String mac(String trialId, int attempt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal((trialId + "/" + attempt).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * The attempt an {@code Authorization} header's token was issued for, when it is a token of trial
   * {@code trialId} (checked in constant time); empty for anything else.
   */
  public OptionalInt verify(String trialId, String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return OptionalInt.empty();
    }
    String token = authorization.substring(7).trim();
    int dot = token.indexOf('.');
    if (dot < 1 || dot > 9 || !token.substring(0, dot).chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    int attempt = Integer.parseInt(token.substring(0, dot));
    if (attempt < 1) {
      return OptionalInt.empty();
    }
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
    byte[] expected = mac(trialId, attempt).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected) ? OptionalInt.of(attempt) : OptionalInt.empty();
  }
}
