/**
 * The look shared by the ready-made emails: one column, the shop's name on top, the unsubscribe link at
 * the bottom (every marketing email has one). Liquid escapes every value in the HTML part.
 */
export function htmlLayout(shop: string, body: string): string {
  return `<!doctype html>
<html><body style="margin:0;background:#f6f6f4;font-family:Helvetica,Arial,sans-serif;color:#222">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#fff;border-radius:6px;padding:28px">
<tr><td style="font-size:13px;letter-spacing:2px;text-transform:uppercase;color:#888;padding-bottom:18px">${shop}</td></tr>
<tr><td style="font-size:16px;line-height:1.5">
${body}
</td></tr>
<tr><td style="font-size:12px;color:#999;padding-top:28px">You receive this because you are a customer of ${shop}.
<a href="{{ unsubscribe_url }}" style="color:#999">Unsubscribe</a></td></tr>
</table></td></tr></table>
</body></html>`;
}

export function textFooter(shop: string): string {
  return `\n\n--\n${shop}\nUnsubscribe: {{ unsubscribe_url }}\n`;
}

/** The products of the triggering event (a cart), as an HTML list. */
export const HTML_PRODUCTS = `<ul style="padding-left:18px">
{% for p in event.properties.products %}<li>{{ p.name | default: p.product_id }}{% if p.quantity > 1 %} × {{ p.quantity }}{% endif %}{% if p.price %} — {{ p.price | money: event.properties.currency }}{% endif %}</li>
{% endfor %}</ul>`;

export const TEXT_PRODUCTS = `{% for p in event.properties.products %}- {{ p.name | default: p.product_id }}{% if p.quantity > 1 %} x {{ p.quantity }}{% endif %}
{% endfor %}`;

export const HTML_RECOMMENDATIONS = `{% if recommendations.size > 0 %}<p>Picked for you:</p><ul style="padding-left:18px">
{% for r in recommendations %}<li>{{ r.name | default: r.product_id }}</li>
{% endfor %}</ul>{% endif %}`;

export const TEXT_RECOMMENDATIONS = `{% if recommendations.size > 0 %}Picked for you:
{% for r in recommendations %}- {{ r.name | default: r.product_id }}
{% endfor %}{% endif %}`;

export const HELLO = 'Hello {{ traits.first_name | default: "there" }},';
