import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { setupI18n } from './lib/i18n';
import { api } from './api';

async function start() {
  let initial = 'zh-CN';
  try {
    initial = await api.locale();
  } catch {
    /* keep the default */
  }
  setupI18n(initial);
  mount(App, { target: document.getElementById('app')! });
}

start();
