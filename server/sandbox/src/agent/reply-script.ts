/**
 * The browser half of the preview's reply box: posts the text to the preview's comment route (the
 * server writes it to the Zendesk emulator as the signed-in agent) and reloads, so the new comment
 * shows in the conversation as in Zendesk. Plain ES2020, no build step.
 */
export const REPLY_SCRIPT = String.raw`
(() => {
  const form = document.getElementById('reply-form');
  const status = document.getElementById('reply-status');
  const button = document.getElementById('reply-submit');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = document.getElementById('reply-body').value;
    if (body.trim() === '') return;
    const isPublic = form.querySelector('input[name="visibility"]:checked').value === 'public';
    button.disabled = true;
    status.textContent = 'Sending…';
    try {
      const response = await fetch(form.dataset.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body, public: isPublic }),
      });
      if (!response.ok) throw new Error('the preview answered ' + response.status);
      status.textContent = 'Sent';
      location.reload();
    } catch (error) {
      status.textContent = 'Not sent: ' + error.message;
      button.disabled = false;
    }
  });
})();
`
