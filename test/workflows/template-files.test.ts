import { describe, expect, it } from 'vitest';
import { isSegmintError } from '../../src/domain/errors.js';
import { renderHtml, renderText } from '../../src/workflows/channels/email/template.js';
import { problems } from './refused.js';

/**
 * workflows.md: "Templates cannot include files", and every problem of a definition is reported when it
 * is saved, naming the line, the step and the field. Liquid's file tags were accepted when saved and
 * failed as internal errors at preview and run (trial 6, D4).
 */

describe('templates that read files', () => {
  it('are refused when the workflow is saved, naming the step, the field and the tag', () => {
    const msg = problems(`trigger:
  event: Checkout Started
steps:
  - id: mail
    email:
      subject: "{% render 'README.md' %}"
      html: "<p>{% include '/etc/passwd' %}</p>"
      text: "{% if true %}{% layout 'base' %}{% endif %}"
  - id: tagit
    set_trait:
      note: "{% liquid include 'package.json' %}"
`);
    expect(msg).toMatch(/step "mail" \(steps\[0\]\.email\.subject\): the template does not parse: \{% render %\} is not supported: templates cannot include files/);
    expect(msg).toMatch(/step "mail" \(steps\[0\]\.email\.html\): the template does not parse: \{% include %\} is not supported/);
    expect(msg).toMatch(/step "mail" \(steps\[0\]\.email\.text\): the template does not parse: \{% layout %\} is not supported/);
    // inside Liquid's own `liquid` tag too
    expect(msg).toMatch(/step "tagit" \(steps\[1\]\.set_trait\.note\): the template does not parse: \{% include %\} is not supported/);
    expect(msg).toContain('the workflow definition has 4 problems');
  });

  it('a template that cannot be rendered is a user error naming the reason, never an internal one', async () => {
    for (const render of [renderHtml, renderText]) {
      const e = await render("{% include '/etc/passwd' %}", {}).catch((x: unknown) => x);
      expect(isSegmintError(e) && e.code).toBe('template_failed');
      expect((e as Error).message).toMatch(/^The template cannot be rendered: \{% include %\} is not supported: templates cannot include files/);
    }
    // what is allowed still renders, escaped in HTML
    expect(await renderHtml('{{ a }}{% if a %}!{% endif %}', { a: '<b>' })).toBe('&lt;b&gt;!');
  });
});
