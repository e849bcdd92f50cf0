import QRCode from 'qrcode';
import { conflict, unauthorized } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { newTotpSecret, otpauthUri } from './totp.ts';
import { TotpEnrolment } from './responses.ts';

/**
 * Starts TOTP enrolment: a new secret, sealed in app_user.totp_secret; it only counts once a code from
 * it is verified (/auth/totp/verify). Refused once enrolled, so a stolen password cannot re-bind 2FA.
 */
export const totpEnrollRoute = defineRoute({
  method: 'POST',
  url: '/auth/totp/enroll',
  summary: '绑定动态口令（生成密钥与二维码）',
  description: '仅在尚未绑定时可用；返回的密钥只显示这一次。用身份验证器 App 扫码后调用 /auth/totp/verify 完成绑定。',
  tags: ['登录与会话'],
  auth: 'password',
  response: { 200: TotpEnrolment },
  handler: async (ctx) => {
    const { userId } = currentSession(ctx);
    const [u] = await ctx.tx.query<{ username: string; totp_enabled: boolean }>('select username, totp_enabled from app_user where id = $1', [userId]);
    if (!u) throw unauthorized();
    if (u.totp_enabled) throw conflict('已绑定动态口令；如需更换设备，请联系管理员重置');
    const secret = newTotpSecret();
    await ctx.tx.query('update app_user set totp_secret = $2, totp_last_step = null, updated_at = now() where id = $1', [
      userId,
      ctx.kernel.keys.encryptField(secret),
    ]);
    ctx.audit.add({ kind: 'auth', action: 'auth.totp_enroll', objectType: 'user', objectId: userId, note: '生成动态口令密钥' });
    const uri = otpauthUri(u.username, secret);
    return { secret, otpauthUri: uri, qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) };
  },
});
