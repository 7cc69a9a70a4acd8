import nodemailer from 'nodemailer';
import type { Mailer } from '../../core/matching/digests.js';

/** Sends mail through the SMTP server named by SMTP_URL (smtp://user:password@host:587 or smtps://…). */
export const createSmtpMailer = (smtpUrl: string, from: string): Mailer => {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
};
